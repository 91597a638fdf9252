// @vitest-environment jsdom
// The CommonMark 0.31.2 spec's 652 examples as an outside check of the streaming renderer: fed in
// small steps as a reply streams, and then finished, every example must end exactly as its whole
// source renders in one piece. No exceptions: block-wise rendering (which differs for reference
// links defined in another block, loose lists and some HTML blocks) is only used while streaming.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/lib/markdown/render';
import { StreamingMarkdown } from '../../src/lib/markdown/streaming';

interface SpecExample {
  markdown: string;
  html: string;
  section: string;
  number: number;
}

// The spec writes tabs as → so they can be seen; its own runner puts them back.
const examples = (createRequire(import.meta.url)('commonmark-spec') as { tests: SpecExample[] }).tests.map(
  (example) => ({ ...example, markdown: example.markdown.replaceAll('→', '\t') }),
);

function joined(blocks: readonly { html: string }[]): string {
  return blocks.map((block) => block.html).join('');
}

describe('CommonMark 0.31.2 examples, streamed then finished', () => {
  it('has all 652 examples', () => {
    expect(examples).toHaveLength(652);
  });

  it('ends each one exactly as its whole render', { timeout: 120_000 }, () => {
    const differing: number[] = [];
    for (const example of examples) {
      const renderer = new StreamingMarkdown();
      const source = example.markdown;
      for (let end = 3; end < source.length; end += 3) renderer.update(source.slice(0, end));
      renderer.update(source);
      if (joined(renderer.finish(source)) !== renderMarkdown(source)) differing.push(example.number);
    }
    expect(differing).toEqual([]);
  });
});

describe('CJK-friendly emphasis', () => {
  it.each([
    ['**建議：**搭機場快綫最快。', '建議：'],
    ['佢話**「唔好去」**，我都係去咗。', '「唔好去」'],
    ['**注意（重要）**呢度要小心。', '注意（重要）'],
  ])('bolds %s', (source, bold) => {
    const html = renderMarkdown(source);
    expect(html).not.toContain('**');
    const template = document.createElement('template');
    template.innerHTML = html;
    expect(template.content.querySelector('strong')?.textContent).toBe(bold);
  });
});
