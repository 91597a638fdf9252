/**
 * The model downloader (workers/download/) against the stand-in host, which throttles EACH
 * CONNECTION (as a far-away CDN does): a 200 MiB generated file in one stream and in N parallel
 * 8 MiB chunks (MB/s, and the ratio to one stream), then what a cut at 50% costs on resume — a
 * network cut (the downloader keeps the start of the chunks in flight) and a killed worker (a crash
 * or a closed tab: the chunks in flight are lost). Each run starts from an empty store.
 */
import { expect, test, type Page } from '@playwright/test';
import type { DownloadTuning } from '../../src/shared/engine';
import { DEFAULT_CHUNK_BYTES } from '../../workers/download/plan';
import { DEFAULT_PARALLEL } from '../../workers/download/downloader';
import type { DownloadRun } from '../pages/download.worker';
import { writePart } from '../lib/parts';
import { appUrl, freshContext, launchChromium, modelHostUrl } from '../lib/setup';
import { spread, type Spread } from '../lib/stats';

const SIZE = 200 * 1024 * 1024;
const REPO = 'harbour-bench/synthetic';
const FILE = `${SIZE}.bin`;
const PATH = `/${REPO}/resolve/main/${FILE}`;
const URL_ = `${modelHostUrl}${PATH}`;
/** Bytes per second per connection. */
const THROTTLE = 4 * 1024 * 1024;
const PARALLEL = [2, 4, 6, 8];
const REPEATS = { stream: 1, parallel: 2 };

export interface DownloadPart {
  sizeBytes: number;
  throttleBytesPerSecond: number;
  chunkBytes: number;
  defaultParallel: number;
  stream: Spread | undefined;
  parallel: { connections: number; mbPerSecond: Spread | undefined; ratio: number | undefined }[];
  cut: { kind: 'network cut' | 'worker killed'; servedBytes: number; refetchedBytes: number }[];
  failures: string[];
}

async function host(path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${modelHostUrl}${path}`, {
    method: body === undefined && path === '/__stats' ? 'GET' : 'POST',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return path === '/__stats' ? response.json() : undefined;
}

async function served(): Promise<number> {
  const stats = (await host('/__stats')) as { served: Record<string, number> };
  return stats.served[PATH] ?? 0;
}

function run(page: Page, tuning: DownloadTuning): Promise<DownloadRun> {
  return page.evaluate(
    ([url, repo, file, options]) => {
      const bench = window.downloadBench;
      if (!bench) throw new Error('bench page not ready');
      return bench.api().run(url, repo, file, options);
    },
    [URL_, REPO, FILE, tuning] as const,
  );
}

async function clear(page: Page): Promise<void> {
  await page.evaluate((repo) => window.downloadBench?.api().clear(repo), REPO);
}

/** One full download from empty: MB/s (10^6 bytes) from the first request to the file verified. */
async function timedRun(page: Page, parallel: number, failures: string[]): Promise<number | undefined> {
  await clear(page);
  await host('/__reset');
  await host('/__control', { rules: [{ match: PATH, throttle: THROTTLE }] });
  const result = await run(page, { parallel });
  if (!result.ok) {
    failures.push(`parallel ${parallel}: ${result.error}`);
    return undefined;
  }
  expect(await served()).toBe(SIZE + 1); // the file once, plus the one-byte size probe
  return SIZE / 1e6 / (result.ms / 1000);
}

test('download: one stream vs parallel chunks on a per-connection throttle, and a cut at 50%', async () => {
  test.setTimeout(20 * 60_000);
  const browser = await launchChromium(false);
  const context = await freshContext(browser);
  const page = await context.newPage();
  await page.goto(`${appUrl}/bench/download.html`);
  await page.waitForFunction(() => window.downloadBench !== undefined);
  const failures: string[] = [];

  const streamRuns: (number | undefined)[] = [];
  for (let i = 0; i < REPEATS.stream; i++) streamRuns.push(await timedRun(page, 1, failures));
  const stream = spread(streamRuns);
  const parallel: DownloadPart['parallel'] = [];
  for (const connections of PARALLEL) {
    const runs: (number | undefined)[] = [];
    for (let i = 0; i < REPEATS.parallel; i++) runs.push(await timedRun(page, connections, failures));
    const mbPerSecond = spread(runs);
    parallel.push({
      connections,
      mbPerSecond,
      ratio: mbPerSecond && stream ? mbPerSecond.median / stream.median : undefined,
    });
  }

  // A network cut at 50%: every connection drops and stays down; the download stops, then resumes.
  const cut: DownloadPart['cut'] = [];
  await clear(page);
  await host('/__reset');
  await host('/__control', {
    rules: [
      { match: PATH, throttle: THROTTLE },
      { match: PATH, outage: SIZE / 2 },
    ],
  });
  const broken = await run(page, { attempts: 2 });
  expect(broken.ok).toBe(false);
  await host('/__control', { rules: [{ match: PATH, throttle: THROTTLE }] });
  const resumed = await run(page, {});
  if (!resumed.ok) failures.push(`resume after a cut: ${resumed.error}`);
  const total = await served();
  cut.push({ kind: 'network cut', servedBytes: total, refetchedBytes: total - SIZE });

  // The worker killed at 50% (a crash, a closed tab): what was not committed is fetched again.
  await clear(page);
  await host('/__reset');
  await host('/__control', { rules: [{ match: PATH, throttle: THROTTLE }] });
  await page.evaluate(([url, repo, file]) => void window.downloadBench?.api().run(url, repo, file, {}), [
    URL_,
    REPO,
    FILE,
  ] as const);
  await expect.poll(served, { timeout: 5 * 60_000, intervals: [200] }).toBeGreaterThanOrEqual(SIZE / 2);
  await page.evaluate(() => window.downloadBench?.restart());
  const afterCrash = await run(page, {});
  if (!afterCrash.ok) failures.push(`resume after a killed worker: ${afterCrash.error}`);
  const crashTotal = await served();
  cut.push({ kind: 'worker killed', servedBytes: crashTotal, refetchedBytes: crashTotal - SIZE });

  await clear(page);
  await host('/__reset');
  await browser.close();
  const part: DownloadPart = {
    sizeBytes: SIZE,
    throttleBytesPerSecond: THROTTLE,
    chunkBytes: DEFAULT_CHUNK_BYTES,
    defaultParallel: DEFAULT_PARALLEL,
    stream,
    parallel,
    cut,
    failures,
  };
  writePart('download', part);
  console.log(JSON.stringify(part, null, 2));
  expect(failures).toEqual([]);
});
