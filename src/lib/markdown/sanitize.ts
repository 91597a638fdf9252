// Model output is untrusted HTML, sanitized in two steps on one DOMPurify instance.
// 1. The model's own raw HTML (markdown-it's html_block/html_inline tokens) is cut to a few inline
//    tags with no class, id, style, hidden, role or data attributes, each chunk on its own, before it
//    meets markdown-it's output: so it can neither pose as the app's markup (a code block with a copy
//    button, a user turn, an error banner) nor hide text, and no tag it leaves open can swallow ours.
// 2. The whole render (markdown-it's structure, the app's code blocks) gets a broader HTML profile;
//    every link opens in a new tab without opener or referrer, and every image becomes a link or an
//    inert placeholder here, not a request (the CSP is the second line, not the first).
// KaTeX's output needs style, SVG and MathML and is sanitized separately (sanitizeMathHtml).
// DOMPurify needs a DOM, so the instances (one per profile, with their hooks) are made on first use.
import createDOMPurify, { type Config, type DOMPurify } from 'dompurify';
import { escapeHtml } from './escape';

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
  'map',
  'area',
];
// Invoker attributes could open the page's own dialogs and popovers from model output;
// background, srcset and poster would load remote images.
const FORBID_ATTR = [
  'style',
  'srcset',
  'background',
  'usemap',
  'hidden',
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
/** The only tags the model's raw HTML keeps: inline text formatting, links and (inert) images. */
const RAW_TAGS = [
  'a',
  'abbr',
  'b',
  'br',
  'cite',
  'code',
  'del',
  'dfn',
  'em',
  'i',
  'img',
  'ins',
  'kbd',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'u',
  'var',
  'wbr',
];
const RAW_TAG_SET = new Set(RAW_TAGS);
const VOID_TAGS = new Set(['br', 'img', 'wbr']);
// http(s), mailto and relative URLs; no javascript:, data:, vbscript:, file: ...
const ALLOWED_URI_REGEXP = /^(?:(?:https?|mailto):|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;
const URL_ATTRIBUTES = new Set(['href', 'src', 'xlink:href', 'action', 'formaction', 'poster']);
// DOMPurify lets data: through for <img src> even with a custom URI pattern; we drop it too.
// eslint-disable-next-line no-control-regex
const DATA_URL = /^[\s\u0000-\u001f]*data:/i;

const RAW_CONFIG: Config = {
  ALLOWED_TAGS: RAW_TAGS,
  ALLOWED_ATTR: ['href', 'title', 'alt', 'src'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOWED_URI_REGEXP,
};
const RAW_TAG_CONFIG = { ...RAW_CONFIG, RETURN_DOM_FRAGMENT: true as const };
const MODEL_CONFIG = {
  USE_PROFILES: { html: true },
  FORBID_TAGS,
  FORBID_ATTR,
  ALLOWED_URI_REGEXP,
  SANITIZE_NAMED_PROPS: true,
} satisfies Config;
const MATH_CONFIG: Config = {
  USE_PROFILES: { html: true, svg: true, mathMl: true },
  // KaTeX's MathML carries the TeX source in <semantics><annotation> for screen readers and copying.
  ADD_TAGS: ['semantics', 'annotation'],
  ADD_ATTR: ['style', 'encoding'],
  FORBID_TAGS,
  ALLOWED_URI_REGEXP,
};

type Profile = 'raw' | 'rawTag' | 'model' | 'math';
let purifiers: Record<Profile, DOMPurify> | undefined;

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
    if (node.tagName === 'A' && node.hasAttribute('href')) openSafely(node);
  });
  return instance;
}

function purifier(profile: Profile): DOMPurify {
  if (!purifiers) {
    if (typeof window === 'undefined') {
      throw new Error('sanitize: no DOM (unit tests need "// @vitest-environment jsdom")');
    }
    purifiers = {
      raw: makePurifier(RAW_CONFIG),
      rawTag: makePurifier(RAW_TAG_CONFIG),
      model: makePurifier(MODEL_CONFIG),
      math: makePurifier(MATH_CONFIG),
    };
  }
  return purifiers[profile];
}

/** Sanitizes with a profile whose config returns a DOM fragment (its types know that only per call). */
function sanitizeToFragment(profile: 'rawTag', html: string): DocumentFragment {
  const result: unknown = purifier(profile).sanitize(html);
  if (!(result instanceof window.DocumentFragment)) throw new Error('sanitize: expected a fragment');
  return result;
}

function openSafely(link: Element): void {
  link.setAttribute('target', '_blank');
  link.setAttribute('rel', 'noopener noreferrer nofollow');
}

// A streaming reply's open block is rendered again on every update, with the same raw HTML each
// time, and each DOMPurify call parses a fresh document: results are kept, as renderTex keeps its own.
const rawResults = new Map<string, string>();
const RAW_RESULTS_LIMIT = 500;

function remembered(key: string, compute: () => string): string {
  let result = rawResults.get(key);
  if (result === undefined) {
    result = compute();
    if (rawResults.size >= RAW_RESULTS_LIMIT) rawResults.clear();
    rawResults.set(key, result);
  }
  return result;
}

/** Sanitizes one raw HTML block the model wrote (a markdown-it html_block) to the inline allowlist. */
export function sanitizeRawHtml(html: string): string {
  return remembered(`B${html}`, () => purifier('raw').sanitize(html));
}

const CLOSING_TAG = /^<\/([a-z][a-z0-9-]*)\s*>$/i;

/**
 * Sanitizes one raw tag the model wrote inside a paragraph (a markdown-it html_inline: an opening or
 * closing tag, a comment, a declaration). Returns the allowed tag rebuilt from its allowed
 * attributes, or nothing.
 */
export function sanitizeRawTag(tag: string): string {
  return remembered(`T${tag}`, () => cleanRawTag(tag));
}

function cleanRawTag(tag: string): string {
  const closing = CLOSING_TAG.exec(tag)?.[1]?.toLowerCase();
  if (closing !== undefined)
    return RAW_TAG_SET.has(closing) && !VOID_TAGS.has(closing) ? `</${closing}>` : '';
  if (!/^<[a-z]/i.test(tag)) return '';
  // A bare allowed tag (<br>, <b>, <sup>…) needs no parser: models write many of them.
  const bare = /^<([a-z]+)\s*\/?>$/i.exec(tag)?.[1]?.toLowerCase();
  if (bare !== undefined && RAW_TAG_SET.has(bare)) return `<${bare}>`;
  const fragment = sanitizeToFragment('rawTag', tag);
  const element = fragment.firstChild;
  if (!(element instanceof Element) || fragment.childNodes.length !== 1) return '';
  const attributes = [...element.attributes].map(({ name, value }) => ` ${name}="${escapeHtml(value)}"`);
  return `<${element.localName}${attributes.join('')}>`;
}

/** What the placeholder of an image that is not loaded says. */
export interface SanitizeLabels {
  /** "Image not loaded"-like text, translated by the caller. */
  image: string;
}

/** Replaces an image by a placeholder that names it and, for a web address, links to it. */
function replaceImage(image: HTMLImageElement, label: string): void {
  const doc = image.ownerDocument;
  const src = image.getAttribute('src') ?? '';
  // A web address becomes a link, unless the image already sits in one (links do not nest).
  const linked = /^(?:https?:)?\/\//i.test(src) && !image.closest('a');
  const placeholder = doc.createElement(linked ? 'a' : 'span');
  placeholder.className = 'image-placeholder';
  if (linked) {
    placeholder.setAttribute('href', src);
    placeholder.setAttribute('title', src);
    openSafely(placeholder);
  }
  const name = doc.createElement('span');
  name.className = 'image-label';
  name.textContent = label;
  placeholder.append(name);
  const alt = (image.getAttribute('alt') ?? '').trim();
  if (alt !== '') placeholder.append(` ${alt}`);
  image.replaceWith(placeholder);
}

/**
 * Sanitizes the whole render of model markdown (its raw HTML already cut down by sanitizeRawHtml /
 * sanitizeRawTag). Images become placeholders, so nothing in a reply loads from anywhere.
 */
export function sanitizeModelHtml(html: string, labels: SanitizeLabels = { image: 'Image' }): string {
  const clean = purifier('model').sanitize(html);
  if (!/<img/i.test(clean)) return clean;
  const template = document.createElement('template');
  template.innerHTML = clean;
  for (const image of template.content.querySelectorAll('img')) replaceImage(image, labels.image);
  return template.innerHTML;
}

/** Sanitizes KaTeX output: defence in depth, KaTeX already escapes its input (trust: false). */
export function sanitizeMathHtml(html: string): string {
  return purifier('math').sanitize(html);
}
