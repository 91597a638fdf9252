/**
 * Streaming overhead. The scripted runtime emits a 4,000-token markdown reply (a long thought, then
 * headings, lists, code, math, tables) as fast as it can and at fixed rates; the page is watched by
 * an injected probe (bench/lib/stream-probe.ts) and traced, and the two are lined up by a mark.
 * Rates are interleaved across repeats so that a slow moment of the machine hits all of them.
 * The phone profile streams the same reply at a phone's pace with the page's CPU throttled 4×
 * (CDP Emulation.setCPUThrottlingRate): a phone's cores are several times slower than these.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Browser } from '@playwright/test';
import { LONG_REPLY_END } from '../../workers/runtimes/scripted-reply';
import { loadModel, openApp, send } from '../../tests/e2e/helpers';
import { writePart } from '../lib/parts';
import { freshContext, launchChromium } from '../lib/setup';
import { spread, type Spread } from '../lib/stats';
import { installStreamProbe, type StreamProbeResult } from '../lib/stream-probe';
import {
  BUSY_KINDS,
  TRACE_CATEGORIES,
  busyBetween,
  busyByKind,
  mainThreadTasks,
  type BusyKind,
  type MainThreadTasks,
} from '../lib/trace';

const TOKENS = 4000;
const WINDOW = 200;
const BUCKET = 400;
const ALL_RATES = ['max', 2000, 500, 100] as const;
// BENCH_STREAM_RATES=100,500 measures only those rates (while working on one figure).
const RATES: readonly Rate[] = process.env.BENCH_STREAM_RATES
  ? process.env.BENCH_STREAM_RATES.split(',').map((rate) => (rate === 'max' ? 'max' : Number(rate)))
  : ALL_RATES;
const REPEATS = Number(process.env.BENCH_STREAM_REPEATS ?? 3);
const EMIT_CHANNEL = 'harbour-bench:emits';
export const PHONE = { cpuThrottle: 4, rates: [30] as const };
const PHONE_REPEATS = Number(process.env.BENCH_PHONE_REPEATS ?? 2);

type Rate = 'max' | number;

export interface StreamRun {
  tokens: number;
  emittedPerSecond: number;
  deliveredPerSecond: number;
  deliveredRatio: number;
  busyPerTokenFirstMs: number;
  busyPerTokenLastMs: number;
  busyGrowth: number;
  /** Busy milliseconds per token for each run of 400 tokens, in order. */
  busyPerTokenByBucketMs: number[];
  /** Share of the stream's wall time the main thread was busy. */
  busyShare: number;
  longTasks: number;
  longTaskMs: number;
  firstEmitToPaintMs: number;
  lastEmitToPaintMs: number;
  lastEmitToArrivalMs: number;
  domUpdatesPerToken: number;
  framesWithChange: number;
  /** What the busy time went to: share of the stream's wall time, and ms/token first and last 200. */
  busyByKind: Record<BusyKind, { share: number; firstMs: number; lastMs: number }>;
  /** The longest main-thread task from the first token emitted to the last painted, ms. */
  longestTaskMs: number;
}

/** The figures of one kind of busy time across runs. */
export interface KindSummary {
  share?: Spread;
  firstMs?: Spread;
  lastMs?: Spread;
}

export interface StreamingPart {
  tokens: number;
  repeats: number;
  /** How many times slower than this machine the page's CPU ran (1: not throttled). */
  cpuThrottle: number;
  /** The machine's 1-minute load average as the suite started and ended (other work competes). */
  loadAverage?: { start: number; end: number };
  rates: {
    rate: Rate;
    runs: StreamRun[];
    summary: Record<keyof StreamRun, Spread | undefined>;
    kinds: Record<BusyKind, KindSummary>;
  }[];
}

function summarizeKinds(runs: StreamRun[]): Record<BusyKind, KindSummary> {
  return Object.fromEntries(
    BUSY_KINDS.map((kind) => [
      kind,
      {
        share: spread(runs.map((run) => run.busyByKind[kind].share)),
        firstMs: spread(runs.map((run) => run.busyByKind[kind].firstMs)),
        lastMs: spread(runs.map((run) => run.busyByKind[kind].lastMs)),
      },
    ]),
  ) as Record<BusyKind, KindSummary>;
}

function summarizeRuns(runs: StreamRun[]): Record<keyof StreamRun, Spread | undefined> {
  const keys = Object.keys(runs[0] ?? {}) as (keyof StreamRun)[];
  return Object.fromEntries(
    keys
      .filter((key) => key !== 'busyPerTokenByBucketMs' && key !== 'busyByKind')
      .map((key) => [key, spread(runs.map((run) => run[key] as number))]),
  ) as Record<keyof StreamRun, Spread | undefined>;
}

/** Busy milliseconds per token over the deltas from index `from` to index `to`. */
function busyPerToken(tasks: MainThreadTasks, arrivals: number[], from: number, to: number): number {
  return busyBetween(tasks, arrivals[from], arrivals[to]) / (to - from);
}

function measure(probe: StreamProbeResult, tasks: MainThreadTasks, rate: Rate): StreamRun {
  const log = probe.emitLog;
  if (!log) throw new Error('The scripted runtime posted no emit log');
  const n = log.tokens;
  const arrivals = probe.arrivals;
  expect(arrivals.length, 'every delta reached the page').toBe(n);
  const { firstPaintedAt, lastPaintedAt } = probe;
  if (firstPaintedAt === undefined || lastPaintedAt === undefined) throw new Error('The reply never showed');
  const emitted = log.emittedAt.map((at) => at - probe.timeOrigin);
  const first = emitted[0];
  const last = emitted[n - 1];
  const buckets: number[] = [];
  for (let from = 0; from < n - 1; from += BUCKET) {
    buckets.push(busyPerToken(tasks, arrivals, from, Math.min(from + BUCKET, n - 1)));
  }
  const busyFirst = busyPerToken(tasks, arrivals, 0, WINDOW);
  const busyLast = busyPerToken(tasks, arrivals, n - 1 - WINDOW, n - 1);
  const longTasks = probe.longTasks.filter((task) => task.start >= first && task.start <= lastPaintedAt);
  const wall = busyByKind(tasks, first, lastPaintedAt);
  const firstKinds = busyByKind(tasks, arrivals[0], arrivals[WINDOW]);
  const lastKinds = busyByKind(tasks, arrivals[n - 1 - WINDOW], arrivals[n - 1]);
  const byKind = Object.fromEntries(
    BUSY_KINDS.map((kind) => [
      kind,
      {
        share: wall[kind] / (lastPaintedAt - first),
        firstMs: firstKinds[kind] / WINDOW,
        lastMs: lastKinds[kind] / WINDOW,
      },
    ]),
  ) as StreamRun['busyByKind'];
  let longestTaskMs = 0;
  for (const [start, end] of tasks.intervals) {
    if (end >= first && start <= lastPaintedAt) longestTaskMs = Math.max(longestTaskMs, end - start);
  }
  const emittedPerSecond = ((n - 1) * 1000) / Math.max(last - first, 1e-3);
  // At a set rate, first to last token on screen (a constant latency cancels out). As fast as it
  // can, every token is out at once: the page's rate is from the first emit to the last paint.
  const deliveredPerSecond = ((n - 1) * 1000) / (lastPaintedAt - (rate === 'max' ? first : firstPaintedAt));
  return {
    tokens: n,
    emittedPerSecond,
    deliveredPerSecond,
    deliveredRatio: deliveredPerSecond / emittedPerSecond,
    busyPerTokenFirstMs: busyFirst,
    busyPerTokenLastMs: busyLast,
    busyGrowth: busyLast / busyFirst,
    busyPerTokenByBucketMs: buckets,
    busyShare: busyBetween(tasks, first, lastPaintedAt) / (lastPaintedAt - first),
    longTasks: longTasks.length,
    longTaskMs: longTasks.reduce((sum, task) => sum + task.duration, 0),
    firstEmitToPaintMs: firstPaintedAt - first,
    lastEmitToPaintMs: lastPaintedAt - last,
    lastEmitToArrivalMs: arrivals[n - 1] - last,
    domUpdatesPerToken: probe.domUpdates / n,
    framesWithChange: probe.changedFrames,
    busyByKind: byKind,
    longestTaskMs,
  };
}

async function streamOnce(browser: Browser, rate: Rate, cpuThrottle = 1): Promise<StreamRun> {
  const context = await freshContext(browser);
  try {
    const page = await context.newPage();
    await page.addInitScript(installStreamProbe, { emitLogChannel: EMIT_CHANNEL, endMarker: LONG_REPLY_END });
    await openApp(page, {
      replyTokens: TOKENS,
      tokensPerSecond: rate === 'max' ? 0 : rate,
      tokenDelayMs: 0,
      loadMs: 0,
      emitLogChannel: EMIT_CHANNEL,
    });
    await loadModel(page);
    if (cpuThrottle > 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuThrottle });
    }
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await page.evaluate(() => window.__harbourStreamProbe?.arm());
    await send(page, 'Tell me about the tides in the harbour, with code and formulas.');
    const seconds = rate === 'max' ? 120 * cpuThrottle : TOKENS / rate + 30 * cpuThrottle;
    // Waited for inside the page: a polling assertion's DOM searches would be traced as the app's work.
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      page.evaluate(() => window.__harbourStreamProbe?.whenDone()),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`The reply was not done after ${seconds} s`)),
          seconds * 1000,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    const probe = await page.evaluate(() => window.__harbourStreamProbe?.finish());
    const trace = await browser.stopTracing();
    await expect(page.getByTestId('message-assistant').last()).toHaveAttribute('data-status', 'done');
    // BENCH_TRACE_DIR keeps each trace for a look in DevTools (Performance panel: load profile).
    const traceDir = process.env.BENCH_TRACE_DIR;
    if (traceDir) {
      mkdirSync(traceDir, { recursive: true });
      writeFileSync(join(traceDir, `streaming-${rate}-x${cpuThrottle}-${Date.now()}.json`), trace);
    }
    if (!probe) throw new Error('The stream probe is missing');
    return measure(probe, mainThreadTasks(trace, 'harbour-bench:armed'), rate);
  } finally {
    await context.close();
  }
}

/** Streams the reply `repeats` times at each rate (interleaved) and writes the figures as part `name`. */
async function measureRates(name: string, rates: readonly Rate[], repeats: number, cpuThrottle = 1) {
  const loadAtStart = loadavg()[0];
  const browser = await launchChromium(false);
  const runs = new Map<Rate, StreamRun[]>(rates.map((rate) => [rate, []]));
  try {
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (const rate of rates) {
        const run = await streamOnce(browser, rate, cpuThrottle);
        runs.get(rate)?.push(run);
        console.log(
          `${name} ${rate}: delivered ${run.deliveredPerSecond.toFixed(0)}/s of ${run.emittedPerSecond.toFixed(0)}/s, ` +
            `busy/token ${run.busyPerTokenFirstMs.toFixed(3)} → ${run.busyPerTokenLastMs.toFixed(3)} ms, ` +
            `busy ${(run.busyShare * 100).toFixed(0)} %, lag ${run.lastEmitToPaintMs.toFixed(0)} ms, long tasks ${run.longTasks}, ` +
            `longest ${run.longestTaskMs.toFixed(0)} ms, load ${loadavg()[0].toFixed(1)}\n  busy by kind (% of wall; ms/token first → last 200): ` +
            BUSY_KINDS.map(
              (kind) =>
                `${kind} ${(run.busyByKind[kind].share * 100).toFixed(1)} % (${run.busyByKind[kind].firstMs.toFixed(3)} → ${run.busyByKind[kind].lastMs.toFixed(3)})`,
            ).join(', '),
        );
      }
    }
  } finally {
    await browser.close();
  }
  const part: StreamingPart = {
    tokens: TOKENS,
    repeats,
    cpuThrottle,
    loadAverage: { start: loadAtStart, end: loadavg()[0] },
    rates: rates.map((rate) => {
      const rateRuns = runs.get(rate) ?? [];
      return { rate, runs: rateRuns, summary: summarizeRuns(rateRuns), kinds: summarizeKinds(rateRuns) };
    }),
  };
  writePart(name, part);
}

test('streaming overhead', async () => {
  test.setTimeout(15 * 60_000);
  await measureRates('streaming', RATES, REPEATS);
});

test('streaming overhead, phone profile', async () => {
  test.setTimeout(20 * 60_000);
  await measureRates('streaming-phone', PHONE.rates, PHONE_REPEATS, PHONE.cpuThrottle);
});
