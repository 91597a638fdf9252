import { describe, expect, it } from 'vitest';
import { DeltaBatcher, type FrameScheduler } from '../../src/lib/chat/batcher';

function manualFrames() {
  const queue: (() => void)[] = [];
  const delays: number[] = [];
  let now = 0;
  const scheduler: FrameScheduler = {
    request(callback, delayMs) {
      queue.push(callback);
      delays.push(delayMs);
      return () => queue.splice(queue.indexOf(callback), 1);
    },
    now: () => now,
  };
  return {
    scheduler,
    run: () => queue.splice(0).forEach((callback) => callback()),
    queued: () => queue.length,
    delays,
    advance: (ms: number) => (now += ms),
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
});
