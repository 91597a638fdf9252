// Model output is untrusted HTML. Two profiles, each its own DOMPurify instance: model markup gets plain
// HTML only (no SVG/MathML, whose namespace switches are the classic mutation-XSS route, and no
// inline style, which could overlay the page); KaTeX's own output needs style, SVG and MathML.
// DOMPurify needs a DOM, so the instances (and their hooks) are made on first use, not at import.
import createDOMPurify, { type Config, type DOMPurify } from 'dompurify';

const FORBID_TAGS = [
  'script',
  'style',
  'link',
  'meta',
  'base',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'form',
  'input',
  'textarea',
  'select',
  'option',
  'noscript',
  'template',
  'dialog',
  'audio',
  'video',
  'source',
  'track',
];
// Invoker attributes could open the page's own dialogs and popovers from model output.
const FORBID_ATTR = [
  'style',
  'srcset',
  'action',
  'formaction',
  'ping',
  'autofocus',
  'popover',
  'popovertarget',
  'popovertargetaction',
  'command',
  'commandfor',
];
// http(s), mailto and relative URLs; no javascript:, data:, vbscript:, file: ...
const ALLOWED_URI_REGEXP = /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;
const URL_ATTRIBUTES = new Set(['href', 'src', 'xlink:href', 'action', 'formaction', 'poster']);
// DOMPurify lets data: through for <img src> even with a custom URI pattern; we drop it too.
// eslint-disable-next-line no-control-regex
const DATA_URL = /^[\s\u0000-\u001f]*data:/i;

const MODEL_CONFIG: Config = {
  USE_PROFILES: { html: true },
  FORBID_TAGS,
  FORBID_ATTR,
  ALLOWED_URI_REGEXP,
  SANITIZE_NAMED_PROPS: true,
};
const MATH_CONFIG: Config = {
  USE_PROFILES: { html: true, svg: true, mathMl: true },
  // KaTeX's MathML carries the TeX source in <semantics><annotation> for screen readers and copying.
  ADD_TAGS: ['semantics', 'annotation'],
  ADD_ATTR: ['style', 'encoding'],
  FORBID_TAGS,
  ALLOWED_URI_REGEXP,
};

let purifiers: { model: DOMPurify; math: DOMPurify } | undefined;

// One instance per profile, its config set once: DOMPurify 3 parses a config passed to sanitize()
// again on every call (its sets of tags and attributes rebuilt), which cost more than sanitizing a
// streaming reply's small blocks, re-rendered each frame.
function makePurifier(config: Config): DOMPurify {
  const instance = createDOMPurify(window);
  instance.setConfig(config);
  instance.addHook('uponSanitizeAttribute', (_node, event) => {
    if (URL_ATTRIBUTES.has(event.attrName) && DATA_URL.test(event.attrValue)) event.keepAttr = false;
  });
  instance.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer nofollow');
    }
    if (node.tagName === 'IMG') node.setAttribute('referrerpolicy', 'no-referrer');
  });
  return instance;
}

function getPurifiers(): { model: DOMPurify; math: DOMPurify } {
  if (purifiers) return purifiers;
  if (typeof window === 'undefined') {
    throw new Error('sanitize: no DOM (unit tests need "// @vitest-environment jsdom")');
  }
  purifiers = { model: makePurifier(MODEL_CONFIG), math: makePurifier(MATH_CONFIG) };
  return purifiers;
}

/** Sanitizes HTML rendered from model markdown (which may embed raw HTML). */
export function sanitizeModelHtml(html: string): string {
  return getPurifiers().model.sanitize(html);
}

/** Sanitizes KaTeX output: defence in depth, KaTeX already escapes its input (trust: false). */
export function sanitizeMathHtml(html: string): string {
  return getPurifiers().math.sanitize(html);
}
