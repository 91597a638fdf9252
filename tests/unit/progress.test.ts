import { describe, expect, it } from 'vitest';
import { ProgressTracker } from '../../src/lib/progress';

const MB = 1024 * 1024;

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('ProgressTracker', () => {
  it('reports percent and bytes but no speed from a single sample', () => {
    const time = clock();
    const tracker = new ProgressTracker(time.now);
    const p = tracker.update({
      phase: 'downloading',
      fraction: 0.25,
      loadedBytes: 25 * MB,
      totalBytes: 100 * MB,
    });
    expect(p).toMatchObject({
      phase: 'downloading',
      percent: 25,
      loadedBytes: 25 * MB,
      totalBytes: 100 * MB,
    });
    expect(p.bytesPerSecond).toBeUndefined();
    expect(p.secondsLeft).toBeUndefined();
  });

  it('derives speed and time left from successive samples', () => {
    const time = clock();
    const tracker = new ProgressTracker(time.now);
    tracker.update({ phase: 'downloading', fraction: 0.1, loadedBytes: 10 * MB, totalBytes: 100 * MB });
    time.advance(2000);
    const p = tracker.update({
      phase: 'downloading',
      fraction: 0.3,
      loadedBytes: 30 * MB,
      totalBytes: 100 * MB,
    });
    expect(p.bytesPerSecond).toBeCloseTo(10 * MB);
    expect(p.secondsLeft).toBeCloseTo(7);
  });

  it('uses only the recent window, so speed follows a slowdown', () => {
    const time = clock();
    const tracker = new ProgressTracker(time.now);
    let loaded = 0;
    for (let i = 0; i < 10; i++) {
      loaded += 10 * MB;
      tracker.update({
        phase: 'downloading',
        fraction: loaded / (1000 * MB),
        loadedBytes: loaded,
        totalBytes: 1000 * MB,
      });
      time.advance(1000);
    }
    let last = tracker.update({
      phase: 'downloading',
      fraction: 0,
      loadedBytes: loaded,
      totalBytes: 1000 * MB,
    });
    for (let i = 0; i < 10; i++) {
      time.advance(1000);
      loaded += 1 * MB;
      last = tracker.update({
        phase: 'downloading',
        fraction: loaded / (1000 * MB),
        loadedBytes: loaded,
        totalBytes: 1000 * MB,
      });
    }
    expect(last.bytesPerSecond).toBeLessThan(2 * MB);
  });

  it('resets when the phase changes and never reports speed outside downloading', () => {
    const time = clock();
    const tracker = new ProgressTracker(time.now);
    tracker.update({ phase: 'downloading', fraction: 0.5, loadedBytes: 50 * MB, totalBytes: 100 * MB });
    time.advance(1000);
    const p = tracker.update({ phase: 'loading', fraction: 0.2, loadedBytes: 20 * MB, totalBytes: 100 * MB });
    expect(p.phase).toBe('loading');
    expect(p.percent).toBe(20);
    expect(p.bytesPerSecond).toBeUndefined();
  });

  it('clamps fractions outside 0..1', () => {
    const tracker = new ProgressTracker(clock().now);
    expect(tracker.update({ phase: 'compiling', fraction: 1.7 }).percent).toBe(100);
    expect(tracker.update({ phase: 'compiling', fraction: -1 }).percent).toBe(0);
  });
});
