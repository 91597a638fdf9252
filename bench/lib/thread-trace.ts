/**
 * Busy time per thread of a whole-browser Chromium trace (every process: browser, renderers, GPU),
 * and what the busiest page thread spent it on. Busy = the thread's outermost `toplevel` tasks;
 * `tdur` (thread time) is CPU where Chromium records it. Complements thread-cpu.ts, which sees every
 * thread's CPU but not what it was doing.
 */

interface TraceEvent {
  name: string;
  cat?: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export const WHOLE_BROWSER_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'gpu',
  'viz',
  'blink.user_timing',
];

/** One thread's busy time in a trace. */
export interface TracedThread {
  process: string;
  thread: string;
  busyMs: number;
  /** Thread (CPU) time of the same tasks, where the trace has it. */
  cpuMs: number;
  tasks: number;
}

/** Per thread busy time and, for renderer main threads, ms per kind of work (inclusive). */
export interface TraceBreakdown {
  spanMs: number;
  threads: TracedThread[];
  /** Work kinds on the renderer main threads, summed (inclusive of nested kinds). */
  mainThreadWork: Record<string, number>;
}

/** Work on a renderer main thread worth naming (devtools.timeline event names). */
const MAIN_WORK = [
  'FunctionCall',
  'EventDispatch',
  'TimerFire',
  'FireAnimationFrame',
  'RunMicrotasks',
  'UpdateLayoutTree',
  'Layout',
  'PrePaint',
  'Paint',
  'Layerize',
  'Commit',
  'HitTest',
  'GCEvent',
  'MajorGC',
  'MinorGC',
];

function eventsOf(traceJson: Buffer): TraceEvent[] {
  const parsed = JSON.parse(traceJson.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  return Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
}

/** Reads a trace taken with WHOLE_BROWSER_CATEGORIES. */
export function traceBreakdown(traceJson: Buffer): TraceBreakdown {
  const events = eventsOf(traceJson);
  const processNames = new Map<number, string>();
  const threadNames = new Map<string, string>();
  for (const event of events) {
    if (event.ph !== 'M') continue;
    if (event.name === 'process_name') processNames.set(event.pid, event.args?.name ?? '?');
    if (event.name === 'thread_name') threadNames.set(`${event.pid}/${event.tid}`, event.args?.name ?? '?');
  }
  const timed = events.filter((event) => event.ph === 'X' && event.ts > 0);
  // A loop, not Math.min(...events): a trace has more events than a call can take arguments.
  let start = Number.POSITIVE_INFINITY;
  let end = Number.NEGATIVE_INFINITY;
  for (const event of timed) {
    start = Math.min(start, event.ts);
    end = Math.max(end, event.ts + (event.dur ?? 0));
  }

  const byThread = new Map<string, TraceEvent[]>();
  for (const event of timed) {
    if (!event.cat?.split(',').includes('toplevel')) continue;
    const key = `${event.pid}/${event.tid}`;
    const list = byThread.get(key) ?? [];
    list.push(event);
    byThread.set(key, list);
  }
  const threads: TracedThread[] = [];
  for (const [key, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts);
    let busy = 0;
    let cpu = 0;
    let tasks = 0;
    let until = Number.NEGATIVE_INFINITY;
    for (const event of list) {
      if (event.ts < until) continue; // nested in the task before
      until = event.ts + (event.dur ?? 0);
      busy += event.dur ?? 0;
      cpu += event.tdur ?? 0;
      tasks++;
    }
    const pid = Number(key.split('/')[0]);
    threads.push({
      process: processNames.get(pid) ?? `pid ${pid}`,
      thread: threadNames.get(key) ?? `tid ${key.split('/')[1]}`,
      busyMs: busy / 1000,
      cpuMs: cpu / 1000,
      tasks,
    });
  }
  threads.sort((a, b) => b.busyMs - a.busyMs);

  const mainThreads = new Set(
    [...threadNames].filter(([, name]) => name === 'CrRendererMain').map(([key]) => key),
  );
  const mainThreadWork: Record<string, number> = {};
  for (const event of timed) {
    if (!MAIN_WORK.includes(event.name) || !mainThreads.has(`${event.pid}/${event.tid}`)) continue;
    mainThreadWork[event.name] = (mainThreadWork[event.name] ?? 0) + (event.dur ?? 0) / 1000;
  }
  return { spanMs: (end - start) / 1000, threads, mainThreadWork };
}
