/**
 * What the bench injects into the app page (Playwright's addInitScript) to watch a reply stream:
 * when each delta reaches the page, when the first and the last token are on screen, how many DOM
 * updates and long tasks there were. It lives only in the bench; the app is measured as built.
 * The function is serialized into the page, so it must not use anything from outside its body.
 */
import type { EmitLog } from '../../workers/runtimes/scripted-reply';

export interface StreamProbeOptions {
  /** BroadcastChannel the scripted runtime posts its emit log on (absent for real engines). */
  emitLogChannel?: string;
  /** The reply's last words: the last token is on screen when the answer ends with them. */
  endMarker: string;
}

export interface StreamProbeResult {
  timeOrigin: number;
  /** Page time of the user's Enter that sent the message. */
  sentAt?: number;
  /** Page time each delta reached the page (in a batch, an array of strings, on the deltas' MessagePort). */
  arrivals: number[];
  /** Page times just after the frame that first showed the thought, and the whole answer. */
  firstPaintedAt?: number;
  lastPaintedAt?: number;
  /** DOM mutation batches while armed, and frames that painted a change. */
  domUpdates: number;
  changedFrames: number;
  longTasks: { start: number; duration: number }[];
  emitLog?: EmitLog;
  /** startTime of the `harbour-bench:armed` user-timing mark, to line the page up with a trace. */
  armedMarkAt: number;
}

export interface StreamProbe {
  /**
   * Starts recording. With `watchPaint: false` only delta arrivals are recorded: no DOM observer
   * and no frames asked for, which would cost the page work the app itself does not do.
   */
  arm(options?: { watchPaint?: boolean }): void;
  /**
   * Resolves once the newest reply says it is done. The bench waits on this rather than on a
   * Playwright assertion: an assertion polls the page through DevTools, each poll a search of the
   * whole DOM on the main thread (tens of ms on a long reply, a second apart), and the trace counted
   * that work as the app's (13 % of the wall time at 100 tok/s).
   */
  whenDone(): Promise<void>;
  /** Resolves after two more frames (so a late paint is seen), with everything recorded. */
  finish(): Promise<StreamProbeResult>;
}

declare global {
  interface Window {
    __harbourStreamProbe?: StreamProbe;
  }
}

export function installStreamProbe(options: StreamProbeOptions): void {
  const fresh = (): StreamProbeResult => ({
    timeOrigin: performance.timeOrigin,
    arrivals: [],
    domUpdates: 0,
    changedFrames: 0,
    longTasks: [],
    armedMarkAt: 0,
  });
  let result = fresh();
  let armed = false;

  // The engine worker posts deltas in batches (workers/delta-relay.ts), each an array of strings, on
  // a MessagePort of their own (src/lib/engine/bridge.ts): every delta in one arrives when it does.
  const wrapped = new WeakMap<EventListener, EventListener>();
  const deltasIn = (event: Event): number => {
    if (!(event instanceof MessageEvent) || !Array.isArray(event.data)) return 0;
    return event.data.every((delta) => typeof delta === 'string') ? event.data.length : 0;
  };
  const add = MessagePort.prototype.addEventListener;
  const remove = MessagePort.prototype.removeEventListener;
  MessagePort.prototype.addEventListener = function (
    this: MessagePort,
    type: string,
    listener: EventListenerOrEventListenerObject,
    opts?: boolean | AddEventListenerOptions,
  ) {
    if (type !== 'message' || typeof listener !== 'function') return add.call(this, type, listener, opts);
    let timed = wrapped.get(listener);
    if (!timed) {
      timed = function (this: MessagePort, event: Event) {
        if (armed) {
          const at = performance.now();
          for (let count = deltasIn(event); count > 0; count--) result.arrivals.push(at);
        }
        listener.call(this, event);
      };
      wrapped.set(listener, timed);
    }
    add.call(this, type, timed, opts);
  } as typeof add;
  MessagePort.prototype.removeEventListener = function (
    this: MessagePort,
    type: string,
    listener: EventListenerOrEventListenerObject,
    opts?: boolean | EventListenerOptions,
  ) {
    const timed = typeof listener === 'function' ? wrapped.get(listener) : undefined;
    remove.call(this, type, timed ?? listener, opts);
  } as typeof remove;

  if (options.emitLogChannel) {
    new BroadcastChannel(options.emitLogChannel).onmessage = (event: MessageEvent<EmitLog>) => {
      result.emitLog = event.data;
    };
  }

  new PerformanceObserver((list) => {
    if (!armed) return;
    for (const entry of list.getEntries()) {
      result.longTasks.push({ start: entry.startTime, duration: entry.duration });
    }
  }).observe({ type: 'longtask' });

  // A change is seen in the MutationObserver callback, right after the app makes it. It is painted
  // by the frame that renders after that moment. A change made inside an animation-frame callback (the
  // app applies deltas there) is painted by that very frame: a message posted then is handled once
  // the frame has rendered. A change made elsewhere is painted by the next frame: a message posted
  // from that frame's callback. The probe asks for a frame only when something changed: a
  // requestAnimationFrame loop would make the page render 60 frames a second, and the trace counted
  // those frames' work as the app's (4.3 s of a 40 s stream at 100 tok/s).
  const frameChannel = new MessageChannel();
  const nativeFrame = window.requestAnimationFrame.bind(window);
  let inFrame = false;
  /** Armed with `watchPaint`: unwatched, the app's frames go untouched. */
  let watching = false;
  window.requestAnimationFrame = (callback) =>
    nativeFrame((time) => {
      if (watching) {
        inFrame = true;
        frameChannel.port2.postMessage('frame rendered');
      }
      callback(time);
    });
  let paintAwaited = false;
  const awaitPaint = () => {
    if (paintAwaited) return;
    paintAwaited = true;
    if (inFrame) frameChannel.port2.postMessage('change painted');
    else nativeFrame(() => frameChannel.port2.postMessage('change painted'));
  };
  let firstSeen = false;
  let lastSeen = false;

  const endsWithMarker = (answer: Element | null) => {
    let node = answer;
    while (node?.lastElementChild) node = node.lastElementChild;
    return node?.textContent?.trimEnd().endsWith(options.endMarker) ?? false;
  };

  const observer = new MutationObserver(() => {
    if (!armed) return;
    result.domUpdates++;
    awaitPaint();
    const replies = document.querySelectorAll('[data-testid="message-assistant"]');
    const reply = replies[replies.length - 1];
    if (!reply) return;
    firstSeen ||= reply.querySelector('[data-testid="thinking"]') !== null;
    lastSeen ||= endsWithMarker(reply.querySelector('[data-testid="answer"]'));
  });

  document.addEventListener(
    'keydown',
    (event) => {
      if (armed && event.key === 'Enter' && event.target instanceof HTMLTextAreaElement) {
        result.sentAt ??= performance.now();
      }
    },
    true,
  );

  let replyDone: (() => void) | undefined;
  const checkDone = () => {
    const replies = document.querySelectorAll('[data-testid="message-assistant"]');
    if (replies[replies.length - 1]?.getAttribute('data-status') === 'done') replyDone?.();
  };
  const statusObserver = new MutationObserver(checkDone);

  frameChannel.port1.onmessage = (event: MessageEvent<string>) => {
    if (event.data === 'frame rendered') {
      inFrame = false;
      return;
    }
    paintAwaited = false;
    result.changedFrames++;
    const renderedAt = performance.now();
    if (firstSeen) result.firstPaintedAt ??= renderedAt;
    if (lastSeen) result.lastPaintedAt ??= renderedAt;
  };

  const nextFrame = () => new Promise<void>((resolve) => nativeFrame(() => resolve()));
  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

  window.__harbourStreamProbe = {
    arm({ watchPaint = true } = {}) {
      result = fresh();
      firstSeen = false;
      lastSeen = false;
      result.armedMarkAt = performance.mark('harbour-bench:armed').startTime;
      statusObserver.observe(document.body, {
        subtree: true,
        attributes: true,
        attributeFilter: ['data-status'],
      });
      armed = true;
      watching = watchPaint;
      if (watchPaint)
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    },
    whenDone() {
      return new Promise<void>((resolve) => {
        replyDone = resolve;
        checkDone();
      });
    },
    async finish() {
      await nextFrame();
      await nextFrame();
      await nextTask();
      // The emit log travels on its own channel and may come a little after the reply's end.
      for (let waited = 0; options.emitLogChannel && !result.emitLog && waited < 2000; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      armed = false;
      watching = false;
      observer.disconnect();
      statusObserver.disconnect();
      return result;
    },
  };
}
