// The renderer's code runs several times slower the first time (compiled on first call, types not
// yet seen): the first formula, table or highlighted code block of the first reply took 100-130 ms
// to render here, while the engine worked both cores. Rendering a small sample of each once, at an
// idle moment before the reply, moves that cost out of the way. One sample per idle moment: cold,
// each takes tens of ms, and a reply may start meanwhile.
import { renderMarkdown } from './render';

const SAMPLES = [
  '## Tides\n\nThe tide at **pier 1** rises *twice* a day; see [the chart](https://example.com) and `tide()`.',
  '- first\n- second\n\n1. one\n2. two\n\n> A quote.',
  '| pier | tide |\n| --- | ---: |\n| 1 | 1.2 m |\n| 2 | 0.8 m |',
  '$$\n\\int_0^{1} x^2 \\, dx = \\frac{1}{3}\n$$\n\nInline \\(a_1 + b^2\\).',
  '```javascript\nconst tide = (hour) => Math.sin(hour / 12.4) * 1.2; // metres\nfunction pier(n) {\n  return { n, name: `Pier ${n}` };\n}\n```',
  '```python\ndef tide(hour: float) -> float:\n    return 1.2 * math.sin(hour / 12.4)  # metres\n```',
];

/** How many samples there are: `warmUp(0)` to `warmUp(WARM_UP_STEPS - 1)`. */
export const WARM_UP_STEPS = SAMPLES.length;

/** Renders sample `step` once, for an idle moment before the first reply; returns its HTML. */
export function warmUp(step: number): string {
  const sample = SAMPLES[step];
  return sample === undefined ? '' : renderMarkdown(sample);
}
