/**
 * Main-thread busy time from a Chromium trace (categories `toplevel` and `blink.user_timing`). The
 * page has no API for "how busy was I": every task the renderer's main thread runs is a
 * `ThreadControllerImpl::RunTask` event, and a user-timing mark lines trace time up with page time.
 */

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; data?: { startTime?: number } };
}

/** The page's main-thread tasks as [start, end] intervals in page time (ms), merged and sorted. */
export interface MainThreadTasks {
  intervals: [number, number][];
}

export const TRACE_CATEGORIES = ['toplevel', 'blink.user_timing'];

/** Reads the tasks of the renderer main thread that recorded `markName`. */
export function mainThreadTasks(traceJson: Buffer, markName: string): MainThreadTasks {
  const parsed = JSON.parse(traceJson.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const mark = events.find((event) => event.name === markName && event.args?.data?.startTime !== undefined);
  if (!mark) throw new Error(`The trace has no "${markName}" mark`);
  const markStart = mark.args?.data?.startTime ?? 0;
  // Trace time is in microseconds on the browser's monotonic clock.
  const toPage = (ts: number) => (ts - mark.ts) / 1000 + markStart;
  const raw: [number, number][] = events
    .filter(
      (event) =>
        event.ph === 'X' &&
        event.name === 'ThreadControllerImpl::RunTask' &&
        event.pid === mark.pid &&
        event.tid === mark.tid,
    )
    .map((event) => [toPage(event.ts), toPage(event.ts + (event.dur ?? 0))]);
  raw.sort((a, b) => a[0] - b[0]);
  const intervals: [number, number][] = [];
  for (const [start, end] of raw) {
    const last = intervals.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else intervals.push([start, end]);
  }
  return { intervals };
}

/** Milliseconds the main thread was busy between `from` and `to` (page time). */
export function busyBetween(tasks: MainThreadTasks, from: number, to: number): number {
  let busy = 0;
  for (const [start, end] of tasks.intervals) {
    if (end <= from) continue;
    if (start >= to) break;
    busy += Math.min(end, to) - Math.max(start, from);
  }
  return busy;
}
