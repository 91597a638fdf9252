/**
 * First load of the production build from `vite preview`, in a fresh profile each time: the
 * JavaScript and CSS fetched before the page is usable (raw and gzip), the time until it is usable,
 * and what else is fetched in the seconds after (page and engine worker alike), to show whether
 * the engine libraries stay out of the start.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { test, type Browser } from '@playwright/test';
import { writePart } from '../lib/parts';
import { installLoadProbe } from '../lib/load-probe';
import { buildDirs, freshContext, launchChromium, productionUrl, repoRoot } from '../lib/setup';
import { spread, type Spread } from '../lib/stats';

const REPEATS = Number(process.env.BENCH_LOAD_REPEATS ?? 7);
/** How long after the page is usable to keep recording what it fetches. */
const AFTER_MS = 3000;
/** The engine libraries: the runtimes' chunks (WebLLM, transformers.js) and ONNX Runtime. */
const ENGINE_FILE = /\/(webllm|transformers)-[\w-]+\.js$|\/ort-wasm[\w.-]*\.(m?js|wasm)$/;

export interface FileBytes {
  path: string;
  kind: 'js' | 'css' | 'wasm' | 'other';
  bytes: number;
  gzipBytes: number;
  engine: boolean;
}

export interface LoadRun {
  headerMs: number;
  composerMs: number;
  interactiveMs: number;
  firstContentfulPaintMs: number | undefined;
  /** JS and CSS the page had received by the time it was usable. */
  beforeInteractive: FileBytes[];
  /** Everything fetched by the page and its workers up to AFTER_MS later. */
  startup: FileBytes[];
}

export interface FirstLoadPart {
  repeats: number;
  afterMs: number;
  runs: LoadRun[];
  summary: Record<
    | 'interactiveMs'
    | 'headerMs'
    | 'composerMs'
    | 'firstContentfulPaintMs'
    | 'jsBytes'
    | 'jsGzip'
    | 'cssBytes'
    | 'cssGzip',
    Spread | undefined
  >;
  /** What the service worker precaches on the first visit (read from the build's sw.js). */
  precache: { files: number; bytes: number; engineBytes: number } | undefined;
}

function kindOf(path: string): FileBytes['kind'] {
  if (/\.m?js$/.test(path)) return 'js';
  if (path.endsWith('.css')) return 'css';
  if (path.endsWith('.wasm')) return 'wasm';
  return 'other';
}

const total = (files: FileBytes[], kind: FileBytes['kind'], key: 'bytes' | 'gzipBytes') =>
  files.filter((file) => file.kind === kind).reduce((sum, file) => sum + file[key], 0);

async function loadOnce(browser: Browser): Promise<LoadRun> {
  const context = await freshContext(browser, productionUrl);
  const bodies = new Map<string, Promise<{ bytes: number; gzipBytes: number }>>();
  context.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (kindOf(path) === 'other' || bodies.has(path)) return;
    bodies.set(
      path,
      response.body().then(
        (body) => ({ bytes: body.length, gzipBytes: gzipSync(body).length }),
        () => ({ bytes: 0, gzipBytes: 0 }),
      ),
    );
  });
  try {
    const page = await context.newPage();
    await page.addInitScript(installLoadProbe, {});
    await page.goto('/');
    await page.waitForFunction(() => window.__harbourLoadProbe?.interactiveAt !== undefined);
    await page.waitForTimeout(AFTER_MS);
    const seen = await page.evaluate(() => ({
      probe: window.__harbourLoadProbe ?? {},
      resources: performance.getEntriesByType('resource').map((entry) => ({
        name: entry.name,
        responseEnd: (entry as PerformanceResourceTiming).responseEnd,
      })),
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    }));
    const interactiveMs = seen.probe.interactiveAt ?? Number.NaN;
    const describe = async (path: string): Promise<FileBytes> => {
      const size = (await bodies.get(path)) ?? { bytes: 0, gzipBytes: 0 };
      return { path, kind: kindOf(path), ...size, engine: ENGINE_FILE.test(path) };
    };
    const early = new Set(
      seen.resources
        .filter((entry) => entry.responseEnd <= interactiveMs)
        .map((entry) => new URL(entry.name).pathname)
        .filter((path) => kindOf(path) === 'js' || kindOf(path) === 'css'),
    );
    return {
      headerMs: seen.probe.headerAt ?? Number.NaN,
      composerMs: seen.probe.composerAt ?? Number.NaN,
      interactiveMs,
      firstContentfulPaintMs: seen.fcp,
      beforeInteractive: await Promise.all([...early].map(describe)),
      startup: await Promise.all([...bodies.keys()].map(describe)),
    };
  } finally {
    await context.close();
  }
}

/** The service worker's precache list, from the production build's sw.js (absent without one). */
function precacheOfBuild(): FirstLoadPart['precache'] {
  const dir = join(repoRoot, buildDirs.production);
  let source: string;
  try {
    source = readFileSync(join(dir, 'sw.js'), 'utf8');
  } catch {
    return undefined;
  }
  const files = [...source.matchAll(/url:"([^"]+)"/g)].map((match) => match[1]);
  let bytes = 0;
  let engineBytes = 0;
  for (const file of files) {
    try {
      const size = statSync(join(dir, file)).size;
      bytes += size;
      if (ENGINE_FILE.test(`/${file}`)) engineBytes += size;
    } catch {
      // Listed but not on disk (a navigation fallback): nothing to count.
    }
  }
  return { files: files.length, bytes, engineBytes };
}

test('first load of the production build', async () => {
  test.setTimeout(5 * 60_000);
  const browser = await launchChromium(true);
  const runs: LoadRun[] = [];
  try {
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      const run = await loadOnce(browser);
      runs.push(run);
      console.log(
        `first load: usable at ${run.interactiveMs.toFixed(0)} ms, ` +
          `JS ${(total(run.beforeInteractive, 'js', 'gzipBytes') / 1024).toFixed(1)} KiB gzip before it`,
      );
    }
  } finally {
    await browser.close();
  }
  const part: FirstLoadPart = {
    repeats: REPEATS,
    afterMs: AFTER_MS,
    runs,
    summary: {
      interactiveMs: spread(runs.map((run) => run.interactiveMs)),
      headerMs: spread(runs.map((run) => run.headerMs)),
      composerMs: spread(runs.map((run) => run.composerMs)),
      firstContentfulPaintMs: spread(runs.map((run) => run.firstContentfulPaintMs)),
      jsBytes: spread(runs.map((run) => total(run.beforeInteractive, 'js', 'bytes'))),
      jsGzip: spread(runs.map((run) => total(run.beforeInteractive, 'js', 'gzipBytes'))),
      cssBytes: spread(runs.map((run) => total(run.beforeInteractive, 'css', 'bytes'))),
      cssGzip: spread(runs.map((run) => total(run.beforeInteractive, 'css', 'gzipBytes'))),
    },
    precache: precacheOfBuild(),
  };
  writePart('first-load', part);
});
