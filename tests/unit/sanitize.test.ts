// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/lib/markdown/render';
import { StreamingMarkdown } from '../../src/lib/markdown/streaming';

// Model output that tries to run script, leave the page or restyle it. Every one must render inert.
const PAYLOADS: readonly string[] = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  'text <script src="https://evil.example/x.js"></script> more',
  '<svg onload=alert(1)><circle r=10 /></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>',
  '[click](javascript:alert(1))',
  '<a href="JaVaScRiPt:alert(1)">click</a>',
  '<a href="&#x6A;avascript:alert(1)">entity</a>',
  '<a href=" java\tscript:alert(1)">whitespace</a>',
  '[x](vbscript:msgbox(1))',
  '<iframe src="https://evil.example"></iframe>',
  '<style>body { display: none }</style>',
  '<form action="https://evil.example"><input name="q" autofocus onfocus="alert(1)"><button>Go</button></form>',
  '[open](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<a href="data:text/html,<script>alert(1)</script>">data</a>',
  '![pic](javascript:alert(1))',
  '![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '<img src="data:image/png;base64,iVBORw0KGgo=">',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<math href="javascript:alert(1)">CLICK</math>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  '<template><script>alert(1)</script></template>',
  '<object data="x.swf"></object><embed src="x.swf">',
  '<details open ontoggle=alert(1)><summary>x</summary></details>',
  '<div style="position:fixed;inset:0;background:red">overlay</div>',
  '<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<a href="https://example.com" onclick="alert(1)">ok</a>',
  '```html\n"><img src=x onerror=alert(1)><script>alert(1)</script>\n```',
  '```" onmouseover="alert(1)\ncode\n```',
  '`<script>alert(1)</script>` and `" onerror="alert(1)`',
  '$\\href{javascript:alert(1)}{x}$ and $x$<img src=x onerror=alert(1)>',
  '\\[\\htmlStyle{position:fixed}{x}\\]',
  '<span data-math-slot="0"></span><span data-math-slot="99"></span> $y$',
  '<a id="cookie" name="currentScript">clobber</a>',
  '<button popovertarget="settings" commandfor="dialog" command="show-modal" formaction="javascript:alert(1)">x</button>',
  '<div popover id="x">fake dialog</div>',
  '<video src=x onerror=alert(1)></video><audio src=x onerror=alert(1)>',
];

const URL_ATTRIBUTES = new Set(['href', 'src', 'xlink:href', 'action', 'formaction', 'poster', 'background']);
const DANGEROUS_ELEMENTS =
  'script, iframe, frame, object, embed, form, input, textarea, style, link, meta, base, video, audio';
// A model's own <button> may stay (it does nothing), but not with attributes that act on the page.
const INVOKER_ATTRIBUTES = ['formaction', 'popovertarget', 'commandfor', 'command', 'popover'];

function parse(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

/** Checks HTML the way the browser will read it: re-parsed, as {@html} does. */
function expectInert(html: string): void {
  const fragment = parse(html);
  expect(fragment.querySelector(DANGEROUS_ELEMENTS)).toBeNull();
  for (const element of fragment.querySelectorAll('*')) {
    for (const { name, value } of element.attributes) {
      expect(name.toLowerCase().startsWith('on'), `${name} on <${element.localName}>`).toBe(false);
      expect(INVOKER_ATTRIBUTES).not.toContain(name);
      if (URL_ATTRIBUTES.has(name)) {
        // eslint-disable-next-line no-control-regex
        expect(value.replace(/[\s\u0000-\u001f]/g, '')).not.toMatch(/^(javascript|vbscript|data):/i);
      }
      // Inline style only where KaTeX put it.
      if (name === 'style') expect(element.closest('.katex')).not.toBeNull();
    }
  }
  // SVG and MathML only inside KaTeX's output.
  for (const element of fragment.querySelectorAll('svg, math')) {
    expect(element.closest('.katex')).not.toBeNull();
  }
  for (const link of fragment.querySelectorAll('a[href]')) {
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer nofollow');
  }
}

describe('sanitizing model output', () => {
  it('has a real list of payloads', () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(15);
  });

  for (const payload of PAYLOADS) {
    it(`renders inert: ${JSON.stringify(payload)}`, () => {
      expectInert(renderMarkdown(payload));
      expectInert(renderMarkdown(`Some *text* first.\n\n- a list\n- ${payload}\n\n> ${payload}`));
    });
  }

  it('stays inert while streaming, at every update', { timeout: 30_000 }, () => {
    const renderer = new StreamingMarkdown();
    const all = PAYLOADS.join('\n\n');
    for (let end = 1; end <= all.length; end += 5) {
      // Only the open block changes between updates; finished ones are checked once at the end.
      expectInert(renderer.update(all.slice(0, end)).at(-1)?.html ?? '');
    }
    for (const block of renderer.update(all)) expectInert(block.html);
  });

  it('keeps harmless content', () => {
    const fragment = parse(
      renderMarkdown(
        '<a href="https://example.com" onclick="x()">ok</a> ![cat](https://example.com/cat.png)',
      ),
    );
    expect(fragment.querySelector('a')?.getAttribute('href')).toBe('https://example.com');
    expect(fragment.querySelector('img')?.getAttribute('src')).toBe('https://example.com/cat.png');
    expect(fragment.querySelector('img')?.getAttribute('referrerpolicy')).toBe('no-referrer');
  });

  it('shows code with quotes and tags as text', () => {
    const source = '```html\n"><img src=x onerror=alert(1)>\n```';
    const code = parse(renderMarkdown(source)).querySelector('pre code');
    expect(code?.textContent).toBe('"><img src=x onerror=alert(1)>');
    expect(code?.querySelector('img')).toBeNull();
  });

  it('keeps a forged math slot from injecting anything', () => {
    const html = renderMarkdown('<span data-math-slot="0"></span> and $y$');
    expectInert(html);
    expect(parse(html).textContent).not.toContain('data-math-slot');
  });
});
