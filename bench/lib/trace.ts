/**
 * Main-thread busy time from a Chromium trace (categories `toplevel`, `blink.user_timing` and
 * `devtools.timeline`). The page has no API for "how busy was I": every task the renderer's main
 * thread runs is a `ThreadControllerImpl::RunTask` event, and a user-timing mark lines trace time up
 * with page time. The timeline events nested in the tasks say what the time went to (script, style,
 * layout, paint, GC…): each event's own time, less the events nested in it, counts for its kind.
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

/** What main-thread time went to, as the DevTools performance panel groups it. */
export const BUSY_KINDS = ['script', 'style', 'layout', 'paint', 'parseHtml', 'gc', 'other'] as const;
export type BusyKind = (typeof BUSY_KINDS)[number];

/** One span of the main thread's own time, of one kind, in page time (ms). */
interface KindSpan {
  start: number;
  end: number;
  kind: BusyKind;
}

/** The page's main-thread tasks as [start, end] intervals in page time (ms), merged and sorted. */
export interface MainThreadTasks {
  intervals: [number, number][];
  /** The tasks' time cut into spans by kind (the innermost known event at each moment), sorted. */
  spans: KindSpan[];
}

export const TRACE_CATEGORIES = ['toplevel', 'blink.user_timing', 'devtools.timeline', 'v8'];

const KIND_OF: Record<string, BusyKind> = {
  FunctionCall: 'script',
  EvaluateScript: 'script',
  RunMicrotasks: 'script',
  TimerFire: 'script',
  FireAnimationFrame: 'script',
  EventDispatch: 'script',
  'v8.callFunction': 'script',
  'v8.compile': 'script',
  'v8.compileModule': 'script',
  'v8.evaluateModule': 'script',
  UpdateLayoutTree: 'style',
  RecalcStyle: 'style',
  ParseAuthorStyleSheet: 'style',
  Layout: 'layout',
  Paint: 'paint',
  PrePaint: 'paint',
  Layerize: 'paint',
  UpdateLayer: 'paint',
  UpdateLayerTree: 'paint',
  CompositeLayers: 'paint',
  ParseHTML: 'parseHtml',
  MinorGC: 'gc',
  MajorGC: 'gc',
  BlinkGC: 'gc',
};

function kindOf(name: string): BusyKind | undefined {
  return (
    KIND_OF[name] ?? (/^(V8\.GC|BlinkGC\.|ThreadState::|MinorGC|MajorGC|CppGC)/.test(name) ? 'gc' : undefined)
  );
}

/** Complete events of one thread, begin/end pairs made into complete events. */
function completeEvents(events: TraceEvent[], pid: number, tid: number): TraceEvent[] {
  const out: TraceEvent[] = [];
  const open: TraceEvent[] = [];
  for (const event of events) {
    if (event.pid !== pid || event.tid !== tid) continue;
    if (event.ph === 'X') out.push(event);
    else if (event.ph === 'B') open.push(event);
    else if (event.ph === 'E') {
      const begin = open.pop();
      if (begin) out.push({ ...begin, ph: 'X', dur: event.ts - begin.ts });
    }
  }
  return out;
}

/** Spans of own time by kind: each known event's time less its known children's, inside tasks. */
function kindSpans(events: TraceEvent[], toPage: (ts: number) => number): KindSpan[] {
  const isTask = (event: TraceEvent) => event.name === 'ThreadControllerImpl::RunTask';
  const relevant = events.filter((event) => isTask(event) || kindOf(event.name) !== undefined);
  relevant.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const spans: KindSpan[] = [];
  // The enclosing events, outermost first, each with the kind its own time counts as.
  const stack: { end: number; kind: BusyKind; at: number }[] = [];
  const emit = (from: number, to: number, kind: BusyKind) => {
    if (to > from) spans.push({ start: toPage(from), end: toPage(to), kind });
  };
  const popUntil = (ts: number) => {
    for (let top = stack.at(-1); top && top.end <= ts; top = stack.at(-1)) {
      emit(top.at, top.end, top.kind);
      stack.pop();
      const parent = stack.at(-1);
      if (parent) parent.at = top.end;
    }
  };
  for (const event of relevant) {
    const end = event.ts + (event.dur ?? 0);
    popUntil(event.ts);
    const parent = stack.at(-1);
    if (!parent && !isTask(event)) continue; // outside any task: not main-thread task time
    if (parent) {
      emit(parent.at, event.ts, parent.kind);
      parent.at = Math.min(end, parent.end);
    }
    stack.push({
      end: Math.min(end, parent?.end ?? end),
      kind: kindOf(event.name) ?? parent?.kind ?? 'other',
      at: event.ts,
    });
  }
  popUntil(Infinity);
  spans.sort((a, b) => a.start - b.start);
  return spans;
}

/** Reads the tasks of the renderer main thread that recorded `markName`. */
export function mainThreadTasks(traceJson: Buffer, markName: string): MainThreadTasks {
  const parsed = JSON.parse(traceJson.toString('utf8')) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const mark = events.find((event) => event.name === markName && event.args?.data?.startTime !== undefined);
  if (!mark) throw new Error(`The trace has no "${markName}" mark`);
  const markStart = mark.args?.data?.startTime ?? 0;
  // Trace time is in microseconds on the browser's monotonic clock.
  const toPage = (ts: number) => (ts - mark.ts) / 1000 + markStart;
  const thread = completeEvents(events, mark.pid, mark.tid);
  const raw: [number, number][] = thread
    .filter((event) => event.name === 'ThreadControllerImpl::RunTask')
    .map((event) => [toPage(event.ts), toPage(event.ts + (event.dur ?? 0))]);
  raw.sort((a, b) => a[0] - b[0]);
  const intervals: [number, number][] = [];
  for (const [start, end] of raw) {
    const last = intervals.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else intervals.push([start, end]);
  }
  return { intervals, spans: kindSpans(thread, toPage) };
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

/** Milliseconds of main-thread task time of each kind between `from` and `to` (page time). */
export function busyByKind(tasks: MainThreadTasks, from: number, to: number): Record<BusyKind, number> {
  const byKind = Object.fromEntries(BUSY_KINDS.map((kind) => [kind, 0])) as Record<BusyKind, number>;
  for (const span of tasks.spans) {
    if (span.end <= from) continue;
    if (span.start >= to) break;
    byKind[span.kind] += Math.min(span.end, to) - Math.max(span.start, from);
  }
  return byKind;
}
