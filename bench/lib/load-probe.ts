/**
 * What the bench injects into the app page to time its start: when the header, the composer and an
 * enabled model button are on screen (the page is usable), when the saved-chat list counts all its
 * items and shows the first of them (it renders only the rows in view), and how long opening a conversation takes to show its newest messages, then all its messages (as plain text at
 * first: older messages' markdown is rendered afterwards, a few per task) and then to have every
 * message's markdown rendered (no `data-pending` left in the log). Times are page times
 * (ms since navigation start), taken just after the frame that showed the change. The function is
 * serialized into the page, so it must not use anything from outside its body.
 */

export interface LoadProbeOptions {
  /** Record `listAt` once the saved-chat list counts this many items and shows its first rows. */
  listItems?: number;
  /** After a click in the list, record `openedAt` once this many messages are shown. */
  openedMessages?: number;
}

export interface LoadProbeResult {
  headerAt?: number;
  composerAt?: number;
  /** Header and composer shown and the model button enabled (the device check has run). */
  interactiveAt?: number;
  listAt?: number;
  clickedAt?: number;
  /** The opened conversation's newest messages are shown, at its end (older ones may still be coming). */
  shownAt?: number;
  /** Every message of the opened conversation is in the page with its text. */
  openedAt?: number;
  /** ...and every message's markdown is rendered. */
  renderedAt?: number;
}

declare global {
  interface Window {
    __harbourLoadProbe?: LoadProbeResult;
  }
}

export function installLoadProbe(options: LoadProbeOptions): void {
  const result: LoadProbeResult = {};
  window.__harbourLoadProbe = result;
  const pending = new Set<keyof LoadProbeResult>();

  const afterFrame = (key: keyof LoadProbeResult) => {
    if (result[key] !== undefined || pending.has(key)) return;
    pending.add(key);
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        result[key] = performance.now();
        channel.port1.close();
      };
      channel.port2.postMessage(0);
    });
  };

  const modelButtonEnabled = () =>
    document.querySelector('[aria-labelledby="model-heading"] .actions button:not([disabled])') !== null ||
    document.querySelector('[data-testid="model-ready"]') !== null;

  const check = () => {
    const header = document.querySelector('header h1') !== null;
    const composer = document.querySelector('textarea') !== null;
    if (header) afterFrame('headerAt');
    if (composer) afterFrame('composerAt');
    if (header && composer && modelButtonEnabled()) afterFrame('interactiveAt');
    // The list renders only the rows in view: it is shown once it counts every chat and shows rows.
    const list = document.querySelector<HTMLElement>('nav [data-total]');
    if (
      options.listItems !== undefined &&
      Number(list?.dataset.total) >= options.listItems &&
      list?.querySelector('li') !== null
    ) {
      afterFrame('listAt');
    }
    const opened =
      result.clickedAt === undefined ? 0 : document.querySelectorAll('[data-testid^="message-"]').length;
    // The click empties the log (the conversation is being read), so any message after it is the new one's.
    if (options.openedMessages !== undefined && opened > 0) afterFrame('shownAt');
    if (options.openedMessages !== undefined && opened >= options.openedMessages) {
      afterFrame('openedAt');
      if (document.querySelector('[role="log"] [data-pending]') === null) afterFrame('renderedAt');
    }
  };

  document.addEventListener(
    'click',
    (event) => {
      if (event.target instanceof Element && event.target.closest('nav'))
        result.clickedAt ??= performance.now();
    },
    true,
  );
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
}
