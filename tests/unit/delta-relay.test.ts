import { describe, expect, it } from 'vitest';
import {
  CPU_RELAY_INTERVAL_MS,
  DeltaRelay,
  FEW_CORES,
  RELAY_INTERVAL_MS,
  relayIntervalMs,
  type RelayClock,
} from '../../workers/delta-relay';

function manualClock() {
  let now = 0;
  const timers: { at: number; callback: () => void }[] = [];
  const clock: RelayClock = {
    now: () => now,
    setTimer(callback, ms) {
      const timer = { at: now + ms, callback };
      timers.push(timer);
      return () => void timers.splice(timers.indexOf(timer), 1);
    },
  };
  return {
    clock,
    /** Moves time on, running the timers that fall due (as an event loop would between deltas). */
    advance(ms: number) {
      now += ms;
      for (const timer of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.callback();
      }
    },
    /** Moves time on without running timers (a runtime decoding synchronously between awaits). */
    skip(ms: number) {
      now += ms;
    },
    pending: () => timers.length,
  };
}

describe('DeltaRelay', () => {
  it('sends the first delta at once and the ones right after it as one batch an interval later', () => {
    const time = manualClock();
    const sent: string[][] = [];
    const relay = new DeltaRelay((deltas) => sent.push(deltas), 16, time.clock);
    relay.push('<think>');
    expect(sent).toEqual([['<think>']]);
    time.advance(1);
    relay.push('Hel');
    time.advance(1);
    relay.push('lo');
    expect(sent).toHaveLength(1);
    time.advance(14);
    expect(sent).toEqual([['<think>'], ['Hel', 'lo']]);
    expect(relay.batches).toBe(2);
    expect(time.pending()).toBe(0);
  });

  it('sends each delta of a slow stream on its own, with no wait', () => {
    const time = manualClock();
    const sent: string[][] = [];
    const relay = new DeltaRelay((deltas) => sent.push(deltas), 16, time.clock);
    for (const token of ['One', ' two', ' three']) {
      relay.push(token);
      time.advance(40);
    }
    expect(sent).toEqual([['One'], [' two'], [' three']]);
    expect(time.pending()).toBe(0);
  });

  it('sends on a delta once the interval has passed even when no timer could run', () => {
    const time = manualClock();
    const sent: string[][] = [];
    const relay = new DeltaRelay((deltas) => sent.push(deltas), 16, time.clock);
    relay.push('a');
    for (const token of ['b', 'c', 'd', 'e']) {
      time.skip(5);
      relay.push(token);
    }
    // 'e' came 20 ms after 'a': the batch left with it, before any timer ran.
    expect(sent).toEqual([['a'], ['b', 'c', 'd', 'e']]);
    expect(time.pending()).toBe(0);
  });

  it('flush sends what is queued now, and nothing when the queue is empty', () => {
    const time = manualClock();
    const sent: string[][] = [];
    const relay = new DeltaRelay((deltas) => sent.push(deltas), 16, time.clock);
    relay.push('a');
    relay.push('b');
    relay.flush();
    relay.flush();
    expect(sent).toEqual([['a'], ['b']]);
    expect(relay.batches).toBe(2);
    expect(time.pending()).toBe(0);
  });
});

describe('relayIntervalMs', () => {
  it('sends about once per page update when the engine runs on a GPU, whatever the cores', () => {
    expect(relayIntervalMs({ onCpu: false, cores: 2 })).toBe(RELAY_INTERVAL_MS);
    expect(relayIntervalMs({ onCpu: false, cores: 16 })).toBe(RELAY_INTERVAL_MS);
  });

  it('sends less often when the engine decodes on the CPU of a device with few cores', () => {
    expect(relayIntervalMs({ onCpu: true, cores: 2 })).toBe(CPU_RELAY_INTERVAL_MS);
    expect(relayIntervalMs({ onCpu: true, cores: FEW_CORES })).toBe(CPU_RELAY_INTERVAL_MS);
    // A browser that hides its core count is taken for a small device.
    expect(relayIntervalMs({ onCpu: true, cores: undefined })).toBe(CPU_RELAY_INTERVAL_MS);
    expect(relayIntervalMs({ onCpu: true, cores: FEW_CORES + 1 })).toBe(RELAY_INTERVAL_MS);
    expect(CPU_RELAY_INTERVAL_MS).toBeGreaterThan(RELAY_INTERVAL_MS);
    expect(CPU_RELAY_INTERVAL_MS).toBeLessThanOrEqual(100);
  });
});
