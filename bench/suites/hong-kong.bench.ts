/**
 * Showing replies in Hong Kong Traditional Chinese: what the conversion costs, and whether the
 * streaming budgets still hold with it on. (1) In a bench page (bench/pages/hong-kong.ts): building
 * the converter, a finished 20,000-character Simplified reply per 1,000 characters, and the same
 * reply streamed two characters at a time (a Chinese token is one or two). (2) In the app: the
 * scripted 4,000-token reply (it has Chinese in every section) at set rates, the setting on and
 * off, watched by the streaming suite's probe and trace. Figures are printed, never asserted.
 */
import { expect, test, type Browser } from '@playwright/test';
import { loadModel, openApp, send } from '../../tests/e2e/helpers';
import { LONG_REPLY_END } from '../../workers/runtimes/scripted-reply';
import type { HongKongBenchResult } from '../pages/hong-kong';
import { writePart } from '../lib/parts';
import { freshContext, launchChromium } from '../lib/setup';
import { spread, type Spread } from '../lib/stats';
import { installStreamProbe, type StreamProbeResult } from '../lib/stream-probe';
import { TRACE_CATEGORIES, busyBetween, mainThreadTasks, type MainThreadTasks } from '../lib/trace';

const PIECE = 2;
const REPEATS = Number(process.env.BENCH_HK_REPEATS ?? 5);
const STREAM_REPEATS = Number(process.env.BENCH_HK_STREAM_REPEATS ?? 1);
const TOKENS = 4000;
const WINDOW = 200;
const RATES = [500, 2000] as const;
const EMIT_CHANNEL = 'harbour-bench:hk-emits';

interface StreamFigures {
  deliveredRatio: number;
  busyPerTokenFirstMs: number;
  busyPerTokenLastMs: number;
  busyGrowth: number;
  lastEmitToPaintMs: number;
}

const fmt = (value: number | undefined, digits = 3) => (value === undefined ? '–' : value.toFixed(digits));
const line = (s: Spread | undefined, digits = 3) =>
  s ? `${fmt(s.median, digits)} (${fmt(s.min, digits)}–${fmt(s.max, digits)})` : '–';

async function conversionCost(browser: Browser): Promise<HongKongBenchResult> {
  const context = await freshContext(browser);
  try {
    const page = await context.newPage();
    await page.goto('/bench/hong-kong.html');
    await page.waitForFunction(() => window.hongKongBench !== undefined);
    const result = await page.evaluate(
      ([piece, repeats]) => window.hongKongBench?.run(piece, repeats),
      [PIECE, REPEATS],
    );
    if (!result) throw new Error('The bench page did not run');
    return result;
  } finally {
    await context.close();
  }
}

function figures(probe: StreamProbeResult, tasks: MainThreadTasks): StreamFigures {
  const log = probe.emitLog;
  if (!log || probe.firstPaintedAt === undefined || probe.lastPaintedAt === undefined) {
    throw new Error('The reply was not seen whole');
  }
  const n = log.tokens;
  const { arrivals } = probe;
  expect(arrivals.length, 'every delta reached the page').toBe(n);
  const emitted = log.emittedAt.map((at) => at - probe.timeOrigin);
  const busy = (from: number, to: number) => busyBetween(tasks, arrivals[from], arrivals[to]) / (to - from);
  const emittedPerSecond = ((n - 1) * 1000) / (emitted[n - 1] - emitted[0]);
  const deliveredPerSecond = ((n - 1) * 1000) / (probe.lastPaintedAt - probe.firstPaintedAt);
  const first = busy(0, WINDOW);
  const last = busy(n - 1 - WINDOW, n - 1);
  return {
    deliveredRatio: deliveredPerSecond / emittedPerSecond,
    busyPerTokenFirstMs: first,
    busyPerTokenLastMs: last,
    busyGrowth: last / first,
    lastEmitToPaintMs: probe.lastPaintedAt - emitted[n - 1],
  };
}

/** One 4,000-token reply at `rate`, after a first reply that has loaded the converter when it is on. */
async function streamOnce(browser: Browser, rate: number, traditional: boolean): Promise<StreamFigures> {
  const context = await freshContext(browser);
  try {
    const page = await context.newPage();
    await page.addInitScript(
      (on) => localStorage.setItem('harbour-chat:hong-kong', JSON.stringify({ showTraditional: on })),
      traditional,
    );
    await page.addInitScript(installStreamProbe, { emitLogChannel: EMIT_CHANNEL, endMarker: LONG_REPLY_END });
    await openApp(page, {
      replyTokens: TOKENS,
      tokensPerSecond: rate,
      tokenDelayMs: 0,
      loadMs: 0,
      emitLogChannel: EMIT_CHANNEL,
    });
    await loadModel(page);
    const done = () =>
      expect(page.getByTestId('message-assistant').last()).toHaveAttribute('data-status', 'done', {
        timeout: (TOKENS / rate + 60) * 1000,
      });
    // The first reply loads the converter (once per session), the measured one streams through it.
    await send(page, '海港的潮水怎么样？');
    await done();
    await page.getByRole('button', { name: 'New chat' }).first().click();
    await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await page.evaluate(() => window.__harbourStreamProbe?.arm());
    await send(page, '海港的潮水怎么样？');
    await done();
    const probe = await page.evaluate(() => window.__harbourStreamProbe?.finish());
    const trace = await browser.stopTracing();
    if (!probe) throw new Error('The stream probe is missing');
    if (traditional) await expect(page.getByTestId('answer')).toContainText('號碼頭');
    return figures(probe, mainThreadTasks(trace, 'harbour-bench:armed'));
  } finally {
    await context.close();
  }
}

test('Hong Kong conversion cost', async () => {
  test.setTimeout(20 * 60_000);
  const browser = await launchChromium(false);
  try {
    const cost = await conversionCost(browser);
    const updates = spread(cost.updateMs);
    const sorted = [...cost.updateMs].sort((a, b) => a - b);
    const p95 = sorted[Math.floor(sorted.length * 0.95)];
    console.log(`converter built (load in slices, wall time): ${cost.buildMs.toFixed(0)} ms`);
    console.log(
      `finished reply, ${cost.characters} characters: ${line(spread(cost.finishedPer1000Ms))} ms per 1,000 characters`,
    );
    console.log(
      `streamed ${cost.pieceSize} characters at a time: ${line(updates, 4)} ms per update, p95 ${fmt(p95, 4)} ms; ` +
        `all updates together ${fmt(cost.streamedPer1000Ms)} ms per 1,000 characters`,
    );

    const runs: { rate: number; traditional: boolean; figures: StreamFigures }[] = [];
    for (let repeat = 0; repeat < STREAM_REPEATS; repeat++) {
      for (const rate of RATES) {
        for (const traditional of [false, true]) {
          const result = await streamOnce(browser, rate, traditional);
          runs.push({ rate, traditional, figures: result });
          console.log(
            `stream ${rate} tok/s, Traditional ${traditional ? 'on ' : 'off'}: delivered ÷ emitted ` +
              `${fmt(result.deliveredRatio, 2)}, busy/token ${fmt(result.busyPerTokenFirstMs)} → ` +
              `${fmt(result.busyPerTokenLastMs)} ms (${fmt(result.busyGrowth, 2)}×), ` +
              `last emit → paint ${fmt(result.lastEmitToPaintMs, 0)} ms`,
          );
        }
      }
    }
    writePart('hong-kong', { cost, streamUpdateMs: updates, streamUpdateP95Ms: p95, runs });
  } finally {
    await browser.close();
  }
});
