// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { tooLongToHighlight } from '../../src/lib/markdown/highlight';
import {
  HIGHLIGHT_CHARS,
  HIGHLIGHT_LINES,
  OPEN_PLAIN_CHARS,
  OPEN_RENDER_MS,
  PROGRESSIVE_CHARS,
  renderCostMs,
  renderedProgressively,
} from '../../src/lib/markdown/limits';
import { typesetPending } from '../../src/lib/markdown/math';
import {
  BlockEndScan,
  blockEnds,
  nextStepChars,
  PART_CHARS,
  ProgressiveMarkdown,
  splitTable,
  type ProgressiveBlock,
} from '../../src/lib/markdown/progressive';
import { renderMarkdown } from '../../src/lib/markdown/render';
import { StreamingMarkdown, type MarkdownBlock } from '../../src/lib/markdown/streaming';
import { warmUp, WARM_UP_STEPS } from '../../src/lib/markdown/warm-up';

function parse(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

/** The TeX sources KaTeX rendered, from the MathML annotations. */
function formulas(html: string): string[] {
  return [...parse(html).querySelectorAll('annotation')].map((node) => (node.textContent ?? '').trim());
}

function joined(blocks: readonly MarkdownBlock[]): string {
  return blocks.map((block) => block.html).join('');
}

/** Feeds `source` to a fresh renderer `step` characters at a time. */
function stream(source: string, step: number, renderer = new StreamingMarkdown()): StreamingMarkdown {
  for (let end = step; end < source.length + step; end += step) renderer.update(source.slice(0, end));
  return renderer;
}

describe('math', () => {
  it('renders all four delimiters', () => {
    const html = renderMarkdown('Inline $a_1$ and \\(b^2\\), display $$c_3$$ and \\[d_4\\].');
    expect(formulas(html)).toEqual(['a_1', 'b^2', 'c_3', 'd_4']);
    expect(parse(html).querySelectorAll('.katex-display')).toHaveLength(2);
    expect(html).not.toContain('math-error');
  });

  it('renders display math blocks, blank lines included, and \\boxed{}', () => {
    const html = renderMarkdown('So:\n\\[\n\\boxed{42}\n\\]\nand\n\n$$\na\n\n+ b\n$$\n');
    const fragment = parse(html);
    expect(fragment.querySelectorAll('.math-block .katex-display')).toHaveLength(2);
    expect(formulas(html)).toEqual(['\\boxed{42}', 'a\n\n+ b']);
    expect(fragment.querySelector('.fbox')).not.toBeNull();
  });

  it('renders display math inside a list item', () => {
    const html = renderMarkdown('1. Compute:\n   \\[\n   x = \\frac{a}{b}\n   \\]\n2. Next');
    expect(parse(html).querySelector('li .katex-display')).not.toBeNull();
  });

  it('keeps markdown away from underscores and asterisks in formulas', () => {
    const html = renderMarkdown('Let $a_1 + b_1$ and $c_1$, and \\(x_i * y_i\\) with \\(u*v\\) *too*.');
    expect(formulas(html)).toEqual(['a_1 + b_1', 'c_1', 'x_i * y_i', 'u*v']);
    expect(parse(html).querySelectorAll('em')).toHaveLength(1);
    expect(parse(html).querySelector('em')?.textContent).toBe('too');
  });

  it('lets emphasis wrap a formula that holds its delimiter', () => {
    const html = renderMarkdown('*see $a*b$*');
    expect(parse(html).querySelector('em .katex')).not.toBeNull();
    expect(formulas(html)).toEqual(['a*b']);
  });

  it.each([
    'It costs $5 and $10.',
    'Between $5-$10 a month.',
    'US$5 or US$6.',
    'I have $ 5 and $ 6.',
    'Escaped \\$x\\$ stays text.',
    'Code `$x$` is code.',
  ])('leaves dollars in prose alone: %s', (text) => {
    const html = renderMarkdown(text);
    expect(html).not.toContain('katex');
    expect(parse(html).textContent).toContain('$');
  });

  it('shows a bad formula as its source with an error class', () => {
    const html = renderMarkdown('Bad $\\frac{1}{$ here and \\[\\begin{x}\\] there.');
    const errors = [...parse(html).querySelectorAll('.math-error')].map((node) => node.textContent);
    expect(errors).toEqual(['$\\frac{1}{$', '\\[\\begin{x}\\]']);
  });

  it('refuses spacing and raises that would draw a formula far outside its place', () => {
    const overreaching = [
      '$a\\kern-1000em b$',
      '$\\hspace{-300em}x$',
      '$\\mkern-9000mu x$',
      '$\\raisebox{-500em}{x}$',
      '$\\def\\k{\\kern-9em}\\k\\k\\k x$',
      '$x\\kern20em\\kern20em\\kern20em\\kern20em\\kern20em\\kern20em y$',
      '$$a\\kern-1000em b$$',
    ];
    for (const source of overreaching) {
      const errors = [...parse(renderMarkdown(source)).querySelectorAll('.math-error')];
      expect(
        errors.map((node) => node.textContent),
        source,
      ).toEqual([source]);
    }
    // Ordinary spacing, raises, rules and tall display matrices still render.
    const fine = renderMarkdown(
      '$a\\!b\\,c\\quad d \\raisebox{0.5em}{e} \\rule{1em}{0.4pt}$ and ' +
        '$$\\begin{pmatrix}' +
        Array.from({ length: 30 }, (_, i) => String(i)).join('\\\\') +
        '\\end{pmatrix}$$',
    );
    expect(fine).not.toContain('math-error');
    expect(formulas(fine)).toHaveLength(2);
  });
});

describe('code blocks', () => {
  const source = '```python\ndef area(r):\n    return 3.14 * r ** 2  # "quoted" <b>\n```';

  it('highlights known languages and adds a header with a copy button', () => {
    const fragment = parse(renderMarkdown(source));
    const block = fragment.querySelector('.code-block');
    expect(block?.querySelector('.code-header .code-lang')?.textContent).toBe('python');
    const button = block?.querySelector('button.copy-code');
    expect(button?.getAttribute('type')).toBe('button');
    expect(button?.hasAttribute('data-copy')).toBe(true);
    expect(button?.textContent).toBe('Copy');
    const code = block?.querySelector('pre code.hljs.language-python');
    expect(code?.querySelector('.hljs-keyword')?.textContent).toBe('def');
    expect(code?.textContent).toBe('def area(r):\n    return 3.14 * r ** 2  # "quoted" <b>');
  });

  it('keeps the code out of attributes', () => {
    const fragment = parse(renderMarkdown(source));
    for (const element of fragment.querySelectorAll('*')) {
      for (const attribute of element.attributes) expect(attribute.value).not.toContain('area');
    }
  });

  it('renders unknown languages as escaped plain text', () => {
    const fragment = parse(renderMarkdown('```brainfudge\n<b>&</b>\n```'));
    const code = fragment.querySelector('pre code');
    expect(code?.children).toHaveLength(0);
    expect(code?.textContent).toBe('<b>&</b>');
    expect(fragment.querySelector('.code-lang')?.textContent).toBe('brainfudge');
  });

  it('labels the copy button as asked', () => {
    const fragment = parse(renderMarkdown('```\nx\n```', { copyLabel: '複製' }));
    expect(fragment.querySelector('.copy-code')?.textContent).toBe('複製');
  });
});

const REPLY = `# Solving the problem

We need $x$ such that $x^2 = 2$, with a_1 and b_2 as *plain* text.

## Steps

- First, note that \\(x > 0\\).
- Then take roots:
  \\[
  x = \\sqrt{2}
  \\]

| n | n² |
|---|----|
| 1 | 1  |
| 2 | 4  |

> A quote with **bold** and a [link](https://example.com/a_b).

\`\`\`ts
function square(n: number): number {

  return n * n; // blank line above stays in the block
}
\`\`\`

$$
\\sum_{i=1}^{n} i

= \\frac{n(n+1)}{2}
$$

Costs $5 and $10, so **Final answer:** $\\boxed{\\sqrt{2}}$.
`;

describe('StreamingMarkdown', () => {
  const longReply = Array.from({ length: 4 }, () => REPLY).join('\n');

  it('matches a one-shot render when fed in token-sized pieces', { timeout: 120_000 }, () => {
    const oneShot = renderMarkdown(longReply);
    expect(joined(new StreamingMarkdown().update(longReply))).toBe(oneShot);
    for (const step of [4, 13]) expect(joined(stream(longReply, step).blocks)).toBe(oneShot);
    // Every chunk boundary once: one character at a time through a single copy.
    expect(joined(stream(REPLY, 1).blocks)).toBe(renderMarkdown(REPLY));
  });

  it('keeps fenced code and display math with blank lines in one block', () => {
    const blocks = new StreamingMarkdown().update(REPLY);
    expect(blocks.filter((block) => block.html.includes('class="code-block"'))).toHaveLength(1);
    const code = blocks.find((block) => block.html.includes('code-block'));
    expect(parse(code?.html ?? '').querySelectorAll('pre')).toHaveLength(1);
    expect(blocks.filter((block) => block.html.includes('\\sum_{i=1}'))).toHaveLength(1);
  });

  it('renders each finished block once and re-renders only the open block', { timeout: 120_000 }, () => {
    const rendered: string[] = [];
    const renderer = new StreamingMarkdown({
      render: (source) => {
        rendered.push(source);
        return renderMarkdown(source);
      },
    });
    stream(longReply, 4, renderer);
    const finished = renderer.blocks.slice(0, -1);
    const before = renderer.renderCount;
    let source = longReply;
    for (let i = 0; i < 50; i++) {
      source += ' more';
      const blocks = renderer.update(source);
      // Finished blocks are the very same objects: Svelte's keyed {#each} leaves their DOM alone.
      blocks.slice(0, -1).forEach((block, index) => expect(block).toBe(finished[index]));
    }
    expect(renderer.renderCount - before).toBe(50);
    expect(renderer.renderCount).toBe(rendered.length);
    // Every render is of one block, never the growing reply: the cost per update stays flat.
    expect(Math.max(...rendered.map((text) => text.length))).toBeLessThan(400);
  });

  it('keeps block keys stable from first appearance', () => {
    const renderer = new StreamingMarkdown();
    const seen = new Map<string, number>();
    for (let end = 1; end <= REPLY.length; end += 3) {
      renderer.update(REPLY.slice(0, end)).forEach((block, index) => {
        expect(seen.get(block.key) ?? index).toBe(index);
        seen.set(block.key, index);
      });
    }
  });

  it('starts over when the source is not a continuation', () => {
    const renderer = new StreamingMarkdown();
    renderer.update('First reply.\n\nSecond paragraph.');
    const blocks = renderer.update('Another reply.');
    expect(joined(blocks)).toBe(renderMarkdown('Another reply.'));
  });

  it('renders a loose list as one list per item, keeping the numbering', () => {
    const fragment = parse(joined(new StreamingMarkdown().update('1. one\n\n2. two\n\n3. three')));
    const lists = [...fragment.querySelectorAll('ol')];
    expect(lists.map((list) => list.getAttribute('start'))).toEqual([null, '2', '3']);
  });

  it('renders nothing for a blank source', () => {
    expect(new StreamingMarkdown().update('  \n\n ')).toEqual([]);
  });

  it('shows a huge open block as plain text, and renders it once it closes', { timeout: 60_000 }, () => {
    const rows = Array.from(
      { length: 250 },
      (_, i) => `| ${i} | <b>pier</b> ${i} ${'tide '.repeat(8)}|`,
    ).join('\n');
    const table = `| row | pier |\n| --- | --- |\n${rows}\n`;
    expect(table.length).toBeGreaterThan(OPEN_PLAIN_CHARS);
    const renderer = new StreamingMarkdown();
    const open = renderer.update(`Intro.\n\n${table}`);
    // In parts (see the next test) after the intro.
    const parts = renderer.plainOpen?.parts ?? 0;
    expect(open).toHaveLength(1 + parts);
    // Escaped text, not markup: the model's tags stay text while the block is open.
    const plain = parse(joined(open.slice(1)));
    expect(plain.querySelector('table, b')).toBeNull();
    expect(plain.textContent).toBe(table);
    expect(renderer.plainOpen).toEqual({ key: String('Intro.\n\n'.length), source: table, parts });
    // Closed by the next block: rendered as the table it is.
    const closed = renderer.update(`Intro.\n\n${table}\nAfter.`);
    expect(renderer.plainOpen).toBeUndefined();
    expect(parse(closed[1]?.html ?? '').querySelectorAll('tbody tr')).toHaveLength(250);
    expect(joined(closed)).toBe(renderMarkdown(`Intro.\n\n${table}\nAfter.`));
  });
});

describe('StreamingMarkdown with a render budget', () => {
  // A fake clock that each render moves on by 4 ms, against a budget of 10 ms: three renders fit.
  function budgeted(options: { budgetMs?: number } = {}) {
    const clock = { now: 0 };
    const rendered: string[] = [];
    const renderer = new StreamingMarkdown({
      budgetMs: options.budgetMs ?? 10,
      now: () => clock.now,
      render: (source) => {
        clock.now += 4;
        rendered.push(
          source
            .trim()
            .split('\n\n')
            .map((block) => block.split(' ', 2).join(' '))
            .join(' + '),
        );
        return renderMarkdown(source);
      },
    });
    return { clock, rendered, renderer };
  }
  // Paragraphs of ~700 characters: two of them make a part rendered in one go during an update.
  const paragraphs = (count: number) =>
    Array.from({ length: count }, (_, i) => `Paragraph ${i}. ${'tide '.repeat(140)}`.trim()).join('\n\n');
  const SOURCE = `${paragraphs(10)}\n\nOpen`;

  it('renders the newest finished blocks within the budget and shows the rest as one plain run', () => {
    const { rendered, renderer } = budgeted();
    const blocks = renderer.update(SOURCE);
    // The open block first (it is rendered again on every update), then the newest finished ones.
    expect(rendered).toEqual(['Open', 'Paragraph 8. + Paragraph 9.', 'Paragraph 6. + Paragraph 7.']);
    expect(renderer.pendingCount).toBe(6);
    // One plain block for the six waiting, keyed by the first of them; then the parts and the open block.
    const at = (i: number) => String(SOURCE.indexOf(`Paragraph ${i}.`));
    expect(blocks.map((block) => block.key)).toEqual(['0', at(6), at(8), String(SOURCE.indexOf('Open'))]);
    const run = parse(blocks[0]?.html ?? '');
    expect(run.querySelector('.open-plain')?.textContent).toBe(paragraphs(6));
    expect(joined(blocks.slice(1))).toBe(joined(new StreamingMarkdown().update(SOURCE).slice(6)));
  });

  it('renders what waits in later updates and after the end, ending as an unbudgeted render', () => {
    const { clock, rendered, renderer } = budgeted();
    renderer.update(SOURCE);
    renderer.update(`${SOURCE} more`);
    // The open block took 4 ms of the 10: one more part.
    expect(rendered.slice(3)).toEqual([
      'Open more',
      'Paragraph 4. + Paragraph 5.',
      'Paragraph 2. + Paragraph 3.',
    ]);
    expect(renderer.pendingCount).toBe(2);
    const keys = renderer.blocks.map((block) => block.key);
    // A deadline already past still renders one part; after the end, parts are bigger.
    expect(renderer.renderPending(clock.now)).toBe(0);
    expect(rendered.at(-1)).toBe('Paragraph 0. + Paragraph 1.');
    // The run's key went with its first block.
    expect(renderer.blocks.map((block) => block.key)).toEqual(keys);
    expect(joined(renderer.blocks)).toBe(joined(new StreamingMarkdown().update(`${SOURCE} more`)));
    expect(renderer.blocks.filter((block) => block.html.includes('open-plain'))).toHaveLength(0);
  });

  it('keeps a block too long for any update to after the end', () => {
    const { renderer } = budgeted({ budgetMs: 1_000 });
    const long = `${'word '.repeat(OPEN_PLAIN_CHARS / 4)}end.`;
    const source = `Intro.\n\n${long}\n\nNext`;
    renderer.update(source);
    // Waits alone: the short block before it is rendered.
    expect(renderer.pendingCount).toBe(1);
    expect(renderer.renderPending(0)).toBe(0);
    expect(joined(renderer.blocks)).toBe(joined(new StreamingMarkdown().update(source)));
  });

  it('shows a huge open block in parts cut at line ends, replacing only the last as it grows', () => {
    const renderer = new StreamingMarkdown();
    const code = `\`\`\`js\n${Array.from({ length: 1_000 }, (_, i) => `const tide${i} = ${i}; // pier`).join('\n')}`;
    const first = renderer.update(`Intro.\n\n${code}`);
    const open = renderer.plainOpen;
    expect(open?.parts).toBeGreaterThan(1);
    const parts = first.slice(-(open?.parts ?? 0));
    expect(parts.map((part) => parse(part.html).querySelector('.open-plain')?.textContent).join('')).toBe(
      code,
    );
    // Every part but the last ends at a line end.
    for (const part of parts.slice(0, -1)) expect(parse(part.html).textContent?.endsWith('\n')).toBe(true);
    const grown = renderer.update(`Intro.\n\n${code}\nconst more = 1;`);
    // The settled parts are the very same objects: the page leaves their DOM alone.
    parts.slice(0, -1).forEach((part, index) => expect(grown[index + 1]).toBe(part));
    expect(grown.at(-1)?.html).toContain('const more = 1;');
  });

  it('shows an open block plain once its next render would be slow, and renders it after the end', () => {
    const clock = { now: 0 };
    let tableRenders = 0;
    const renderer = new StreamingMarkdown({
      budgetMs: 10,
      now: () => clock.now,
      // A table costs far more than its length says: 1 ms per 4 characters, prose 1 ms a block.
      render: (source) => {
        if (source.startsWith('|')) tableRenders += 1;
        clock.now += source.startsWith('|') ? source.length / 4 : 1;
        return renderMarkdown(source);
      },
    });
    const rows = (count: number) => Array.from({ length: count }, (_, i) => `| ${i} | pier |`).join('\n');
    const table = (count: number) => `| row | pier |\n| --- | --- |\n${rows(count)}`;
    const cost = (count: number) => table(count).length / 4;
    // Rendered while its next render stays within OPEN_RENDER_MS.
    let count = 3;
    while (cost(count + 1) <= OPEN_RENDER_MS) renderer.update(`Intro.\n\n${table(++count)}`);
    expect(renderer.plainOpen).toBeUndefined();
    expect(cost(count)).toBeGreaterThan(OPEN_RENDER_MS - 5);
    // The next would not: shown plain, before it is rendered again.
    const renders = tableRenders;
    renderer.update(`Intro.\n\n${table(count + 1)}`);
    expect(tableRenders).toBe(renders);
    expect(renderer.plainOpen?.source).toBe(table(count + 1));
    expect(renderer.blocks.at(-1)?.html).toContain('open-plain');
    // It stays plain while it grows.
    renderer.update(`Intro.\n\n${table(count + 2)}`);
    expect(renderer.plainOpen?.source).toBe(table(count + 2));
    // Closed: it waits for after the end, in a run of its own; the block after it is rendered.
    const source = `Intro.\n\n${table(count + 2)}\n\nAfter the table.\n\nOpen`;
    renderer.update(source);
    expect(renderer.pendingCount).toBe(1);
    renderer.update(`${source} more`);
    expect(renderer.pendingCount).toBe(1);
    expect(renderer.renderPending(clock.now)).toBe(0);
    expect(joined(renderer.blocks)).toBe(joined(new StreamingMarkdown().update(`${source} more`)));
  });

  it('gives the plain open block from an offset on, keeping the parts that start there or later', () => {
    const renderer = new StreamingMarkdown();
    const code = `\`\`\`js\n${Array.from({ length: 1_000 }, (_, i) => `const tide${i} = ${i}; // pier`).join('\n')}`;
    const blocks = renderer.update(`Intro.\n\n${code}`);
    const parts = blocks.slice(1);
    const text = (list: readonly MarkdownBlock[]) =>
      list.map((part) => parse(part.html).textContent).join('');
    for (const offset of [0, 5, 8_000, 20_000, code.length - 3, code.length]) {
      const rest = renderer.plainRest(offset);
      expect(text(rest)).toBe(code.slice(offset));
      // Every part after the first of the rest is a part on screen, the very object.
      for (const part of rest.slice(1)) expect(parts).toContain(part);
      expect(new Set(rest.map((part) => part.key)).size).toBe(rest.length);
    }
    expect(renderer.plainRest(0)).toEqual(parts);
  });

  it('renders everything in the update without a budget (the default)', () => {
    const renderer = new StreamingMarkdown({ now: () => 0 });
    renderer.update(`${paragraphs(50)}\n\nOpen`);
    expect(renderer.pendingCount).toBe(0);
  });
});

describe('size limits', () => {
  const lines = (count: number) =>
    Array.from({ length: count }, (_, i) => `const tide${i} = ${i};`).join('\n');

  it('highlights code up to the limit and shows longer code as escaped plain text, whole', () => {
    expect(tooLongToHighlight(lines(HIGHLIGHT_LINES))).toBe(false);
    expect(tooLongToHighlight(lines(HIGHLIGHT_LINES + 1))).toBe(true);
    expect(tooLongToHighlight('x'.repeat(HIGHLIGHT_CHARS + 1))).toBe(true);
    const long = parse(renderMarkdown(`\`\`\`js\n${lines(HIGHLIGHT_LINES + 1)}\n<b>x</b>\n\`\`\``));
    expect(long.querySelectorAll('code span:not(.code-lines), code b')).toHaveLength(0);
    // In pieces of 200 lines, each a block on screen: lines joined across pieces, as innerText does.
    const pieces = [...long.querySelectorAll('code > .code-lines')].map((piece) => piece.textContent);
    expect(pieces).toHaveLength(Math.ceil((HIGHLIGHT_LINES + 2) / 200));
    expect(pieces.slice(0, -1).every((piece) => piece?.split('\n').length === 200)).toBe(true);
    expect(pieces.join('\n')).toBe(`${lines(HIGHLIGHT_LINES + 1)}\n<b>x</b>`);
    // Code short enough to highlight is one piece, as it always was.
    expect(parse(renderMarkdown(`\`\`\`\n${lines(300)}\n\`\`\``)).querySelector('.code-lines')).toBeNull();
    expect(
      parse(renderMarkdown('```js\nconst a = 1;\n```')).querySelector('code .hljs-keyword'),
    ).not.toBeNull();
  });

  it('renders a huge source a few blocks per step, ending with all of it', () => {
    const paragraphs = Array.from(
      { length: 120 },
      (_, i) => `Paragraph ${i} about **tide** ${'word '.repeat(20)}`,
    );
    const source = paragraphs.join('\n\n');
    const progressive = new ProgressiveMarkdown(source);
    let steps = 0;
    while (!progressive.step(2_000)) steps++;
    expect(steps).toBeGreaterThan(4);
    expect(progressive.done).toBe(true);
    const shown = parse(joined(progressive.blocks));
    expect(shown.querySelectorAll('p')).toHaveLength(120);
    expect(shown.querySelectorAll('strong')).toHaveLength(120);
    expect(shown.textContent?.replace(/\s+/g, ' ').trim()).toBe(
      parse(renderMarkdown(source)).textContent?.replace(/\s+/g, ' ').trim(),
    );
    // Keys are the blocks' source offsets: unique, in order.
    const keys = progressive.blocks.map((block) => Number(block.key));
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
  }, 60_000);

  it('renders progressively by cost: characters, or formulas that would make a long task', () => {
    expect(renderedProgressively('x'.repeat(PROGRESSIVE_CHARS))).toBe(false);
    expect(renderedProgressively('x'.repeat(PROGRESSIVE_CHARS + 1))).toBe(true);
    const display = (count: number) =>
      Array.from({ length: count }, (_, i) => `$$\nx^{${i}}\n$$`).join('\n\n');
    const inline = (count: number) => Array.from({ length: count }, (_, i) => `\\(a_${i}\\)`).join(' ');
    // A worked answer's formulas render whole; 500 display formulas (22 KB) do not.
    expect(renderedProgressively(`${'Some prose. '.repeat(400)}${display(50)}`)).toBe(false);
    expect(renderedProgressively(inline(100))).toBe(false);
    expect(renderedProgressively(display(500))).toBe(true);
    expect(renderedProgressively(inline(200))).toBe(true);
  });

  it('renders progressively what costs in elements, not characters: tables, dense markdown, highlighted code', () => {
    const table = (rows: number) =>
      `| row | pier | tide |\n| --- | --- | ---: |\n${Array.from({ length: rows }, (_, i) => `| ${i} | Pier ${i % 9} | 1 m |`).join('\n')}\n`;
    const sections = (count: number) =>
      Array.from(
        { length: count },
        (_, i) =>
          `## Section ${i}\n\nThe tide at **pier ${i}**; see [the chart](https://example.com).\n\n- \`a\`\n- b\n\n`,
      ).join('');
    const paragraphs = (count: number) =>
      Array.from({ length: count }, (_, i) => `Paragraph ${i} about the harbour. ${'tide '.repeat(60)}`).join(
        '\n\n',
      );
    const code = (lines: number, language: string) =>
      `\`\`\`${language}\n${Array.from({ length: lines }, (_, i) => `const tide${i} = compute(${i}); // pier`).join('\n')}\n\`\`\`\n`;
    // Measured here (render, insertion and layout, quiet): a 300-row table 58 ms, 1,300 rows 174 ms.
    expect(renderedProgressively(table(100))).toBe(false);
    expect(renderedProgressively(table(300))).toBe(true);
    expect(table(300).length).toBeLessThan(PROGRESSIVE_CHARS / 4);
    // 40 KB of paragraphs is 22 ms; of headings, lists and links 157 ms.
    expect(renderedProgressively(paragraphs(120).slice(0, PROGRESSIVE_CHARS))).toBe(false);
    expect(renderedProgressively(sections(40))).toBe(false);
    expect(renderedProgressively(sections(150))).toBe(true);
    // Highlighted code is ~4 ms per 1,000 characters; code too long to highlight, or in no named
    // language, is plain text: cheap.
    expect(renderedProgressively(code(100, 'javascript'))).toBe(false);
    expect(renderedProgressively(code(300, 'javascript'))).toBe(true);
    expect(renderedProgressively(code(300, ''))).toBe(false);
    expect(renderedProgressively(code(900, 'javascript'))).toBe(false);
    expect(renderCostMs(code(300, 'javascript'))).toBeGreaterThan(renderCostMs(code(900, 'javascript')));
  });

  it('cuts a step into parts of whole blocks, and scans for block ends only as far as it goes', () => {
    const section = (i: number) =>
      `## Section ${i}\n\nThe tide at **pier ${i}**.\n\n- a\n- b ${i}\n\n> Quote ${i}.\n\n`;
    const source = Array.from({ length: 600 }, (_, i) => section(i)).join('');
    const progressive = new ProgressiveMarkdown(source);
    progressive.step(3 * PART_CHARS);
    const parts = progressive.blocks.map((block) => Number(block.key));
    expect(parts.length).toBeGreaterThanOrEqual(3);
    expect(parts[0]).toBe(0);
    const ends = blockEnds(source);
    // Each part starts where a block ends and holds about PART_CHARS.
    for (const [index, start] of parts.entries()) {
      if (index > 0) expect(ends).toContain(start);
      const next = parts[index + 1];
      if (next !== undefined) expect(next - start).toBeGreaterThanOrEqual(PART_CHARS);
      if (next !== undefined) expect(next - start).toBeLessThan(PART_CHARS + section(9999).length);
    }
    while (!progressive.step(3 * PART_CHARS));
    const keys = progressive.blocks.map((block) => Number(block.key));
    expect(keys.every((key) => ends.includes(key) || key === 0)).toBe(true);
    const shown = parse(joined(progressive.blocks));
    expect(shown.querySelectorAll('h2')).toHaveLength(600);
    expect(shown.querySelectorAll('blockquote')).toHaveLength(600);
  }, 60_000);

  it('finds the same block ends scanning a piece at a time as scanning all at once', () => {
    // Fences and display math across the 64 KiB scan pieces' ends, a last line with no newline.
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `Line ${i} of prose.`).join('\n\n');
    const open = (n: number) =>
      `${filler(n)}\n\n\`\`\`\n${filler(400)}\n\`\`\`\n\n$$\n${filler(400)}\n$$\n\n`;
    for (const source of [
      `${open(2_900)}${filler(3_000)}\nend`,
      `${open(2_950)}x`,
      'one line',
      'a\n\nb\n\n',
    ]) {
      const scan = new BlockEndScan(source);
      const expected = blockEnds(source);
      expect(expected.map((_, index) => scan.at(index))).toEqual(expected);
      expect(scan.at(expected.length)).toBeUndefined();
    }
    expect(new BlockEndScan('').at(0)).toBeUndefined(); // nothing to render
    const fence = open(2_900).indexOf('```');
    expect(fence).toBeLessThan(65_536);
    expect(open(2_900).indexOf('```', fence + 3)).toBeGreaterThan(65_536);
  });

  it('sizes the next step from what the last one cost, within bounds', () => {
    expect(nextStepChars(12_000, 30)).toBe(12_000);
    expect(nextStepChars(12_000, 120)).toBe(3_000);
    expect(nextStepChars(2_000, 1)).toBe(4_000); // at most twice as big as the last
    expect(nextStepChars(20_000, 1)).toBe(24_000);
    expect(nextStepChars(1_000, 10_000)).toBe(500);
    expect(nextStepChars(1_000, 0)).toBe(2_000);
  });

  it('cuts only between blocks: a long code block stays one piece', () => {
    const source = `Intro\n\n\`\`\`\n${lines(3000)}\n\n${lines(10)}\n\`\`\`\n\nAfter`;
    expect(blockEnds(source).filter((end) => end > 7 && end < source.length)).toHaveLength(1);
    const progressive = new ProgressiveMarkdown(source);
    while (!progressive.step(10));
    expect(parse(joined(progressive.blocks)).querySelectorAll('pre')).toHaveLength(1);
  });
});

describe('huge tables in chunks', () => {
  /** A progressive render as the page shows it: a chunked table is one <table> of its bodies. */
  function shown(blocks: readonly ProgressiveBlock[]): DocumentFragment {
    return parse(
      blocks
        .map((block) =>
          block.table
            ? `<div class="table-scroll"><table>${block.table.head}${block.table.bodies.join('')}</table></div>`
            : block.html,
        )
        .join(''),
    );
  }

  const row = (i: number) => `| ${i} | **Pier** ${i % 9} | \`c|${i}\` \\| x | ${i / 10} m | extra |`;
  const table = (rows: number) =>
    `| row | pier | code | tide |\n| :-- | :-: | --- | ---: |\n${Array.from({ length: rows }, (_, i) => row(i)).join('\n')}\n`;

  it('splits a block that is one pipe table, and nothing else', () => {
    expect(splitTable('| a | b |\n| - | - |\n| 1 | 2 |\n| 3 | 4 |\n\n')).toEqual({
      head: '| a | b |\n| - | - |\n',
      rows: ['| 1 | 2 |', '| 3 | 4 |'],
      columns: 2,
    });
    // A row without a leading pipe, a paragraph before the table, no rows, no delimiter row.
    expect(splitTable('| a | b |\n| - | - |\n| 1 | 2 |\n3 | 4\n')).toBeUndefined();
    expect(splitTable('Intro\n| a | b |\n| - | - |\n| 1 | 2 |\n')).toBeUndefined();
    expect(splitTable('| a | b |\n| - | - |\n')).toBeUndefined();
    expect(splitTable('| a | b |\n| 1 | 2 |\n| 3 | 4 |\n')).toBeUndefined();
  });

  it('renders a huge table as one table, a body per step, with every row as in the whole render', () => {
    const source = `Before the table.\n\n${table(300)}\nAfter the table.\n`;
    const progressive = new ProgressiveMarkdown(source);
    let steps = 0;
    // After each step, the source up to `renderedChars` is exactly what the blocks show: the rows
    // rendered so far (the rest stays plain text at the end of a streamed reply, Markdown.svelte).
    const bodyRows = () => shown(progressive.blocks).querySelectorAll('tbody tr').length;
    const rowsBefore = (offset: number) => source.slice(0, offset).match(/^\| \d/gm)?.length ?? 0;
    while (!progressive.step(1_000)) {
      steps++;
      expect(rowsBefore(progressive.renderedChars)).toBe(bodyRows());
      expect(source[progressive.renderedChars - 1]).toBe('\n');
    }
    expect(progressive.renderedChars).toBe(source.length);
    const tables = progressive.blocks.filter((block) => block.table);
    expect(tables).toHaveLength(1);
    expect(tables[0]?.table?.bodies.length).toBeGreaterThan(10);
    expect(steps).toBeGreaterThan(10);
    const whole = parse(renderMarkdown(source));
    const chunked = shown(progressive.blocks);
    expect(chunked.querySelectorAll('table')).toHaveLength(1);
    expect(chunked.querySelectorAll('thead')).toHaveLength(1);
    const rows = (root: DocumentFragment) => [...root.querySelectorAll('tr')].map((tr) => tr.outerHTML);
    expect(rows(chunked)).toHaveLength(301);
    expect(rows(chunked)).toEqual(rows(whole));
    expect([...chunked.querySelectorAll('p')].map((p) => p.textContent)).toEqual([
      'Before the table.',
      'After the table.',
    ]);
  }, 60_000);

  it('bounds the cells of a step, not only its characters', () => {
    const progressive = new ProgressiveMarkdown(table(300));
    while (!progressive.step(1_000_000));
    const bodies = progressive.blocks[0]?.table?.bodies ?? [];
    expect(bodies).toHaveLength(3); // 400 cells a step: 100 rows of 4 columns
    expect(shown(progressive.blocks).querySelectorAll('tbody tr')).toHaveLength(300);
  }, 60_000);

  it('leaves a table that fits in a step, or is not only rows, as one block', () => {
    const small = new ProgressiveMarkdown(table(5));
    small.step(1_000);
    expect(small.blocks.map((block) => block.table)).toEqual([undefined]);
    const mixed = new ProgressiveMarkdown(`${table(300)}plain line\n`);
    mixed.step(1_000);
    expect(mixed.done).toBe(true);
    expect(mixed.blocks.map((block) => block.table)).toEqual([undefined]);
  });
});

describe('formulas in batches', () => {
  it('typesets the first formulas at once and the rest from placeholders, a batch at a time', () => {
    const source = Array.from({ length: 5 }, (_, i) => `$$\nx^{${i + 100}}\n$$`).join('\n\n');
    const root = document.createElement('div');
    root.innerHTML = renderMarkdown(source, { mathNow: 2 });
    expect(root.querySelectorAll('.katex-display')).toHaveLength(2);
    expect([...root.querySelectorAll('.math-pending')].map((node) => node.textContent)).toEqual([
      '$$\nx^{102}\n$$',
      '$$\nx^{103}\n$$',
      '$$\nx^{104}\n$$',
    ]);
    // A deadline already past still typesets one.
    expect(typesetPending(root, 0)).toBe(2);
    expect(typesetPending(root, Infinity)).toBe(0);
    expect(root.querySelectorAll('.math-pending')).toHaveLength(0);
    expect(formulas(root.innerHTML)).toEqual(['x^{100}', 'x^{101}', 'x^{102}', 'x^{103}', 'x^{104}']);
  });

  it('shows a formula typeset before at once, whatever the budget', () => {
    renderMarkdown('$$\ny^{7}\n$$');
    const root = document.createElement('div');
    root.innerHTML = renderMarkdown('$$\ny^{7}\n$$', { mathNow: 0 });
    expect(root.querySelectorAll('.math-pending')).toHaveLength(0);
    expect(formulas(root.innerHTML)).toEqual(['y^{7}']);
  });
});

describe('warm-up', () => {
  it('runs the code the first reply needs: prose, lists, a table, formulas, highlighted code', () => {
    const shown = parse(Array.from({ length: WARM_UP_STEPS }, (_, step) => warmUp(step)).join(''));
    for (const selector of [
      'h2',
      'strong',
      'a',
      'ul',
      'ol',
      'blockquote',
      'table',
      '.katex',
      '.hljs-keyword',
    ])
      expect(shown.querySelector(selector), selector).not.toBeNull();
    expect(warmUp(WARM_UP_STEPS)).toBe('');
  });
});
