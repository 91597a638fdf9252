import { describe, expect, it } from 'vitest';
import { DeltaBatcher, type FrameScheduler } from '../../src/lib/chat/batcher';

function manualFrames() {
  const queue: (() => void)[] = [];
  const scheduler: FrameScheduler = {
    request(callback) {
      queue.push(callback);
      return () => queue.splice(queue.indexOf(callback), 1);
    },
  };
  return {
    scheduler,
    run: () => queue.splice(0).forEach((callback) => callback()),
    queued: () => queue.length,
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
});
