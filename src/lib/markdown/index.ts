// The markdown renderer and its styles as one chunk: the page imports it lazily (see
// Markdown.svelte), so markdown-it, DOMPurify, KaTeX and highlight.js stay out of the first load.
import 'katex/dist/katex.min.css';
import './code-theme.css';

export { StreamingMarkdown, type MarkdownBlock } from './streaming';
export { shownSource } from './shown-source';
export { FIRST_STEP_CHARS, nextStepChars, ProgressiveMarkdown } from './progressive';
export { typesetPending } from './math';
export { warmUp, WARM_UP_STEPS } from './warm-up';
