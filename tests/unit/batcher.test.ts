import { describe, expect, it } from 'vitest';
import {
  DeltaBatcher,
  MAX_INTERVAL_MS,
  MIN_INTERVAL_MS,
  intervalAfter,
  type FrameScheduler,
} from '../../src/lib/chat/batcher';

/** Frames run by hand; `renderMs` is what the rendering of each frame takes on the fake clock. */
function manualFrames(renderMs = 0) {
  let rendering = renderMs;
  const queue: (() => void)[] = [];
  const delays: number[] = [];
  let rendered: (() => void) | undefined;
  let now = 0;
  const scheduler: FrameScheduler = {
    request(callback, delayMs) {
      queue.push(callback);
      delays.push(delayMs);
      return () => queue.splice(queue.indexOf(callback), 1);
    },
    afterRender(callback) {
      rendered = callback;
    },
    now: () => now,
  };
  return {
    scheduler,
    /** Runs the queued frames, then their rendering, then the task after it. */
    run() {
      queue.splice(0).forEach((callback) => callback());
      now += rendering;
      const callback = rendered;
      rendered = undefined;
      callback?.();
    },
    queued: () => queue.length,
    delays,
    advance: (ms: number) => (now += ms),
    setRenderMs: (ms: number) => (rendering = ms),
  };
}

describe('DeltaBatcher', () => {
  it('applies every delta pushed before a frame as one batch, in order', () => {
    const frames = manualFrames();
    const applied: string[] = [];
    const batcher = new DeltaBatcher((text) => applied.push(text), frames.scheduler);
    for (const token of ['Hel', 'lo', ', ', 'world']) batcher.push(token);
    expect(applied).toEqual([]);
    expect(frames.queued()).toBe(1);
    frames.run();
    expect(applied).toEqual(['Hello, world']);
    batcher.push('!');
    frames.run();
    expect(applied).toEqual(['Hello, world', '!']);
  });

  it('flush applies what is queued at once and cancels the pending frame', () => {
    const frames = manualFrames();
    const applied: string[] = [];
    const batcher = new DeltaBatcher((text) => applied.push(text), frames.scheduler);
    batcher.push('tail');
    batcher.flush();
    expect(applied).toEqual(['tail']);
    expect(frames.queued()).toBe(0);
    batcher.flush();
    expect(applied).toEqual(['tail']);
  });

  it('leaves at least the minimum interval between two updates, and none after a quiet spell', () => {
    const frames = manualFrames();
    const applied: string[] = [];
    const batcher = new DeltaBatcher((text) => applied.push(text), frames.scheduler, 50);
    batcher.push('a');
    frames.run();
    frames.advance(20);
    batcher.push('b');
    frames.advance(30);
    frames.run();
    frames.advance(200);
    batcher.push('c');
    frames.run();
    expect(applied).toEqual(['a', 'b', 'c']);
    // The first waits for no one; 'b' came 20 ms after an update: 30 ms more; 'c' after 200 ms: none.
    expect(frames.delays).toEqual([0, 30, 0]);
  });

  it('spaces updates out as they cost more, so that they take a tenth of the main thread', () => {
    const frames = manualFrames(20);
    const applied: string[] = [];
    const batcher = new DeltaBatcher((text) => applied.push(text), frames.scheduler);
    batcher.push('a');
    frames.run();
    // The update and its rendering took 20 ms: the next waits 180 ms from its start.
    expect(batcher.intervalMs).toBe(180);
    batcher.push('b');
    expect(frames.delays.at(-1)).toBe(160);
    frames.advance(160);
    frames.run();
    expect(applied).toEqual(['a', 'b']);
  });

  it('keeps cheap updates at the minimum pace and caps the wait for costly ones', () => {
    expect(intervalAfter(0)).toBe(MIN_INTERVAL_MS);
    expect(intervalAfter(2)).toBe(MIN_INTERVAL_MS);
    expect(intervalAfter(10)).toBe(90);
    expect(intervalAfter(500)).toBe(MAX_INTERVAL_MS);
  });

  it('weighs one slow frame against the ones before it', () => {
    const frames = manualFrames(5);
    const batcher = new DeltaBatcher(() => undefined, frames.scheduler);
    batcher.push('a');
    frames.run();
    expect(batcher.intervalMs).toBe(MIN_INTERVAL_MS);
    frames.setRenderMs(45);
    frames.advance(100);
    batcher.push('b');
    frames.run();
    // 45 ms after 5 ms counts as 25 ms: 225 ms, not the 405 (capped at 300) of 45 alone.
    expect(batcher.intervalMs).toBe(intervalAfter(25));
    expect(batcher.intervalMs).toBe(225);
  });

  it('times only scheduled updates: the last text (flush) goes at once and is not waited for', () => {
    const frames = manualFrames(1000);
    const applied: string[] = [];
    const batcher = new DeltaBatcher((text) => applied.push(text), frames.scheduler);
    batcher.push('end');
    batcher.flush();
    expect(applied).toEqual(['end']);
    expect(batcher.intervalMs).toBe(MIN_INTERVAL_MS);
  });
});
