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
  /** Page time each delta call reached the page (a comlink APPLY on a MessagePort). */
  arrivals: number[];
  /** Page times just after the frame that first showed the thought, and the whole answer. */
  firstPaintedAt?: number;
  lastPaintedAt?: number;
  /** DOM mutation batches and animation frames while armed, and frames that had a DOM change. */
  domUpdates: number;
  frames: number;
  changedFrames: number;
  longTasks: { start: number; duration: number }[];
  emitLog?: EmitLog;
  /** startTime of the `harbour-bench:armed` user-timing mark, to line the page up with a trace. */
  armedMarkAt: number;
}

export interface StreamProbe {
  arm(): void;
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
    frames: 0,
    changedFrames: 0,
    longTasks: [],
    armedMarkAt: 0,
  });
  let result = fresh();
  let armed = false;
  let dirty = false;

  // Comlink delivers each proxied call (every streamed delta) as an APPLY message on a MessagePort.
  const wrapped = new WeakMap<EventListener, EventListener>();
  const isApply = (event: Event) =>
    event instanceof MessageEvent &&
    typeof event.data === 'object' &&
    event.data !== null &&
    (event.data as { type?: unknown }).type === 'APPLY';
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
        if (armed && isApply(event)) result.arrivals.push(performance.now());
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
  // by the next frame that renders after that moment: each frame posts a message from its
  // animation-frame callback, which runs once that frame has been rendered. (Checking from the
  // animation-frame callback instead would see a change the app makes in its own, later callback
  // one frame late.)
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
    dirty = true;
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

  const frameChannel = new MessageChannel();
  frameChannel.port1.onmessage = () => {
    const renderedAt = performance.now();
    if (firstSeen) result.firstPaintedAt ??= renderedAt;
    if (lastSeen) result.lastPaintedAt ??= renderedAt;
  };

  const frame = () => {
    if (!armed) return;
    result.frames++;
    if (dirty) {
      dirty = false;
      result.changedFrames++;
    }
    frameChannel.port2.postMessage(0);
    requestAnimationFrame(frame);
  };

  const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

  window.__harbourStreamProbe = {
    arm() {
      result = fresh();
      firstSeen = false;
      lastSeen = false;
      result.armedMarkAt = performance.mark('harbour-bench:armed').startTime;
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      armed = true;
      requestAnimationFrame(frame);
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
      observer.disconnect();
      return result;
    },
  };
}
