/**
 * Puts the suites' parts together: bench/results.json (every run's figures) and bench/results.md
 * (the tables and the budget lines). Budgets are printed as PASS/FAIL here, never asserted in tests:
 * a slow machine must not fail a build, but a reader must see at once what is off.
 */
import { cpus, loadavg } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DownloadPart } from '../suites/download.bench';
import type { EngineBackendPart, Kind } from '../suites/engine.bench';
import type { TraceBreakdown } from './thread-trace';
import type { FileBytes, FirstLoadPart } from '../suites/first-load.bench';
import type { HistoryPart } from '../suites/history.bench';
import type { StreamingPart } from '../suites/streaming.bench';
import { BUSY_KINDS } from './trace';
import { turnCostBudgets, turnCostTable, type TurnCostPart } from './turn-cost';
import { readParts } from './parts';
import { repoRoot } from './setup';
import type { Spread } from './stats';

// The goals of issue 17: a reply costs the page the same per token at its end as at its start, the
// page leaves the engine its CPU (on a phone's slower cores too), and long histories open at once.
export const budgets = {
  deliveredRatio: 0.99,
  busyGrowth: 1.2,
  /** Share of wall time the main thread may be busy while a reply streams at 100 tok/s. */
  busyShareAt100: 0.1,
  /** The same on the phone profile (CPU throttled 4×, 30 tok/s). */
  phoneBusyShare: 0.25,
  paintLagMs: 100,
  engineRatio: 0.95,
  firstLoadJsGzipKiB: 100,
  firstLoadCssGzipKiB: 20,
  interactiveMs: 1000,
  historyListMs: 250,
  openLongMs: 200,
  saveMs: 50,
};

interface EnginePart {
  model: string;
  warmUps: Record<'wasm' | 'webgpu', number>;
  repeats: Record<'wasm' | 'webgpu', number>;
  backends: EngineBackendPart[];
  failures: { backend: string; error: string }[];
}

interface Parts {
  streaming?: StreamingPart;
  'streaming-phone'?: StreamingPart;
  engine?: EnginePart;
  'first-load'?: FirstLoadPart;
  history?: HistoryPart;
  download?: DownloadPart;
  'turn-cost'?: { backends: TurnCostPart[]; failures: { backend: string; error: string }[] };
  environment?: { chromium: string; loadAtEnd: number[] };
  'load-at-start'?: { loadAverage: number[] };
}

export interface Budget {
  name: string;
  value: string;
  pass: boolean;
}

const kib = (bytes: number) => bytes / 1024;

/** "median (min–max)", with `digits` decimals. */
function cell(value: Spread | undefined, digits = 0, scale = 1): string {
  if (!value) return '—';
  const f = (n: number) =>
    (n * scale).toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return value.min === value.max ? f(value.median) : `${f(value.median)} (${f(value.min)}–${f(value.max)})`;
}

function streamingSection(
  part: StreamingPart | undefined,
  budgetLines: Budget[],
  busyShareBudget: { rate: number; share: number },
): string[] {
  if (!part) return ['_The streaming suite did not finish; no figures._'];
  const throttled = part.cpuThrottle > 1;
  const where = throttled ? ` (phone profile: CPU throttled ${part.cpuThrottle}×)` : '';
  const lines = [
    throttled
      ? `The same reply and columns with the page's CPU throttled ${part.cpuThrottle}× (CDP \`Emulation.setCPUThrottlingRate\`), at a phone's pace; ${part.repeats} runs.`
      : `Scripted runtime, one ${part.tokens.toLocaleString('en-GB')}-token markdown reply (a quarter of it thought; then headings, lists, code, math, tables), ${part.repeats} runs per rate. Delivered: tokens ÷ time from the first to the last token on screen (as fast as it can: from the first token emitted). Busy: the page's main-thread task time (from a trace) per token, over the first and the last 200 tokens to reach the page.`,
    '',
    '| emit rate | emitted tok/s | delivered tok/s | delivered ÷ emitted | busy ms/token, first 200 | busy ms/token, last 200 | last ÷ first | main thread busy | long tasks > 50 ms | first token emitted → painted, ms | last token emitted → painted, ms | DOM updates per token |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { rate, summary: s } of part.rates) {
    lines.push(
      `| ${rate === 'max' ? 'as fast as it can' : `${rate} tok/s`} | ${cell(s.emittedPerSecond)} | ${cell(s.deliveredPerSecond)} | ${cell(s.deliveredRatio, 2)} | ${cell(s.busyPerTokenFirstMs, 2)} | ${cell(s.busyPerTokenLastMs, 2)} | ${cell(s.busyGrowth, 2)} | ${cell(s.busyShare, 0, 100)} % | ${cell(s.longTasks)} | ${cell(s.firstEmitToPaintMs)} | ${cell(s.lastEmitToPaintMs)} | ${cell(s.domUpdatesPerToken, 2)} |`,
    );
    if (rate === 'max') continue;
    const ratio = s.deliveredRatio?.median ?? 0;
    const growth = s.busyGrowth?.median ?? Infinity;
    const lag = s.lastEmitToPaintMs?.median ?? Infinity;
    budgetLines.push(
      {
        name: `delivered ÷ emitted ≥ ${budgets.deliveredRatio} at ${rate} tok/s${where}`,
        value: ratio.toFixed(2),
        pass: ratio >= budgets.deliveredRatio,
      },
      {
        name: `busy per token, last 200 ≤ ${budgets.busyGrowth} × first 200 at ${rate} tok/s${where}`,
        value: `${growth.toFixed(2)} ×`,
        pass: growth <= budgets.busyGrowth,
      },
      {
        name: `last token painted ≤ ${budgets.paintLagMs} ms after it was emitted at ${rate} tok/s${where}`,
        value: `${lag.toFixed(0)} ms`,
        pass: lag <= budgets.paintLagMs,
      },
    );
    if (rate === busyShareBudget.rate) {
      const share = s.busyShare?.median ?? Infinity;
      budgetLines.push({
        name: `main thread busy ≤ ${busyShareBudget.share * 100} % while streaming at ${rate} tok/s${where}`,
        value: `${(share * 100).toFixed(0)} %`,
        pass: share <= busyShareBudget.share,
      });
    }
  }
  lines.push('', ...busyKindTable(part));
  return lines;
}

const ms = (value: number) => Math.round(value).toLocaleString('en-GB');

/**
 * What every thread of the browser did per reply (median, ms; Linux schedstat): on a CPU, and
 * runnable but waiting for one. The engine worker's wait is the time the other threads (and
 * other programs: the machine column) took from it.
 */
function engineThreadLines(backend: EngineBackendPart): string[] {
  if (!backend.threads) return [];
  const name = backend.backend === 'webgpu' ? 'WebGPU (SwiftShader)' : 'wasm';
  const lines = [
    '',
    `CPU per reply by thread, ${name} (median ms; “wait” = runnable but not running):`,
    '',
    '| process: thread | CPU, raw | CPU, relayed | CPU, app | app − raw | CPU, app watched by the bench | wait, raw | wait, app |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { group, runMs, waitMs } of backend.threads) {
    lines.push(
      `| ${group} | ${ms(runMs.raw)} | ${ms(runMs.relayed)} | ${ms(runMs.app)} | ${ms(runMs.app - runMs.raw)} | ${ms(runMs.appWatched)} | ${ms(waitMs.raw)} | ${ms(waitMs.app)} |`,
    );
  }
  const sum = (kind: Kind) => backend.threads.reduce((total, thread) => total + thread.runMs[kind], 0);
  const row = (label: string, of: Record<Kind, number>) =>
    `| ${label} | ${ms(of.raw)} | ${ms(of.relayed)} | ${ms(of.app)} | ${ms(of.app - of.raw)} | ${ms(of.appWatched)} | | |`;
  const browser = {
    raw: sum('raw'),
    relayed: sum('relayed'),
    app: sum('app'),
    appWatched: sum('appWatched'),
  };
  lines.push(
    row('**the whole browser**', browser),
    row(`the whole machine (${cpus().length} cores; other programs too)`, backend.machineMs),
    row('wall time of the window', backend.wallMs),
  );
  return lines;
}

/** The traced replies: busy time per thread (all processes), raw and in the app, and the app's main-thread work. */
function engineTraceLines(backend: EngineBackendPart): string[] {
  const { traces } = backend;
  if (!traces) return [];
  const byThread = (breakdown: TraceBreakdown) => {
    const sums = new Map<string, { busyMs: number; cpuMs: number }>();
    for (const thread of breakdown.threads) {
      const key = `${thread.process}: ${thread.thread}`;
      const sum = sums.get(key) ?? { busyMs: 0, cpuMs: 0 };
      sum.busyMs += thread.busyMs;
      sum.cpuMs += thread.cpuMs;
      sums.set(key, sum);
    }
    return sums;
  };
  const raw = byThread(traces.raw);
  const app = byThread(traces.app);
  const keys = [...new Set([...raw.keys(), ...app.keys()])]
    .filter((key) => (raw.get(key)?.busyMs ?? 0) >= 5 || (app.get(key)?.busyMs ?? 0) >= 5)
    .sort((a, b) => (app.get(b)?.busyMs ?? 0) - (app.get(a)?.busyMs ?? 0));
  const lines = [
    '',
    `One more reply of each under a whole-browser Chromium trace (${backend.backend}; trace span raw ${ms(traces.raw.spanMs)} ms, app ${ms(traces.app.spanMs)} ms): busy ms per thread (outermost \`toplevel\` tasks; thread CPU in brackets):`,
    '',
    '| process: thread | busy, raw | busy, app |',
    '| --- | ---: | ---: |',
  ];
  const busy = (sum: { busyMs: number; cpuMs: number } | undefined) =>
    sum ? `${ms(sum.busyMs)} (${ms(sum.cpuMs)})` : '—';
  for (const key of keys) lines.push(`| ${key} | ${busy(raw.get(key))} | ${busy(app.get(key))} |`);
  const work = Object.entries(traces.app.mainThreadWork)
    .filter(([, value]) => value >= 1)
    .sort((a, b) => b[1] - a[1])
    .map(([name, value]) => `${name} ${ms(value)}`);
  if (work.length > 0)
    lines.push('', `The app's renderer main thread, ms by kind (inclusive): ${work.join(', ')}.`);
  return lines;
}

const KIND_NAMES: Record<(typeof BUSY_KINDS)[number], string> = {
  script: 'script',
  style: 'style',
  layout: 'layout',
  paint: 'paint (pre-paint, paint, layerize)',
  parseHtml: 'HTML parsing',
  gc: 'garbage collection',
  other: 'other (task overhead, unmarked)',
};

/** Where the busy time went, from the trace's timeline events: the report explains its own figures. */
function busyKindTable(part: StreamingPart): string[] {
  const rates = part.rates.filter((entry) => entry.kinds !== undefined);
  if (rates.length === 0) return [];
  const name = (rate: number | 'max') => (rate === 'max' ? 'as fast as it can' : `${rate} tok/s`);
  return [
    `Main-thread busy time by kind (the innermost DevTools timeline event of each moment; a task's own time is “other”): share of the stream's wall time, then ms per token over the first → last 200 tokens. Load average ${part.loadAverage ? `${part.loadAverage.start.toFixed(1)} → ${part.loadAverage.end.toFixed(1)}` : '?'} over this suite; longest task ${rates.map((entry) => `${cell(entry.summary.longestTaskMs)} ms at ${name(entry.rate)}`).join(', ')}.`,
    '',
    `| kind | ${rates.map((entry) => name(entry.rate)).join(' | ')} |`,
    `| --- | ${rates.map(() => '---:').join(' | ')} |`,
    ...BUSY_KINDS.map(
      (kind) =>
        `| ${KIND_NAMES[kind]} | ${rates
          .map((entry) => {
            const k = entry.kinds[kind];
            return `${cell(k.share, 1, 100)} %; ${cell(k.firstMs, 2)} → ${cell(k.lastMs, 2)}`;
          })
          .join(' | ')} |`,
    ),
  ];
}

function engineSection(part: EnginePart | undefined, budgetLines: Budget[]): string[] {
  if (!part) return ['_The engine suite did not finish; no figures._'];
  const lines = [
    `\`${part.model}\` through the real transformers.js runtime (71 tokens, then EOS; the app's default settings), raw in a bare worker (also with every delta relayed to the idle page by comlink, as the app's worker sends it) and through the app, replies interleaved in one browser: ${part.repeats.wasm} of each on wasm after ${part.warmUps.wasm} warm-ups, ${part.repeats.webgpu} on WebGPU after ${part.warmUps.webgpu}. “Engine's own” is the runtime's decode rate measured inside the worker; “delivered” is (tokens − 1) ÷ first to last delta, where the runtime hands it over (raw) or where it reaches the page (app). The app's rates come from replies the bench does not watch on screen; the on-screen times from as many more replies it does watch (an animation-frame loop and a DOM observer in the page, work the app itself does not do).`,
    '',
    '| backend | engine’s own tok/s, raw | … raw, deltas relayed to the page | … in the app | app ÷ raw | delivered tok/s, raw | … in the app | app ÷ raw | first token, raw ms | … on screen, app ms | whole reply, raw ms | … on screen, app ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const backend of part.backends) {
    const { raw, relayed, app, appWatched, deliveredRatio, engineRatio } = backend.summary;
    lines.push(
      `| ${backend.backend === 'webgpu' ? 'WebGPU (SwiftShader)' : 'wasm'} | ${cell(raw.engineTokensPerSecond, 1)} | ${cell(relayed.engineTokensPerSecond, 1)} | ${cell(app.engineTokensPerSecond, 1)} | ${cell(engineRatio, 2)} | ${cell(raw.deliveredTokensPerSecond, 1)} | ${cell(app.deliveredTokensPerSecond, 1)} | ${cell(deliveredRatio, 2)} | ${cell(raw.firstTokenMs)} | ${cell(appWatched.firstTokenMs)} | ${cell(raw.wholeReplyMs)} | ${cell(appWatched.wholeReplyMs)} |`,
    );
    const engine = engineRatio?.median ?? 0;
    const delivered = deliveredRatio?.median ?? 0;
    budgetLines.push(
      {
        name: `engine's own decode rate in the app ≥ ${budgets.engineRatio} × raw on ${backend.backend}`,
        value: engine.toFixed(2),
        pass: engine >= budgets.engineRatio,
      },
      {
        name: `delivered decode rate in the app ≥ ${budgets.engineRatio} × raw on ${backend.backend}`,
        value: delivered.toFixed(2),
        pass: delivered >= budgets.engineRatio,
      },
    );
  }
  for (const backend of part.backends)
    lines.push(...engineThreadLines(backend), ...engineTraceLines(backend));
  for (const backend of ['wasm', 'webgpu'] as const) {
    const measured = part.backends.some((b) => b.backend === backend);
    if (!measured && !part.failures.some((failure) => failure.backend === backend)) {
      lines.push('', `_${backend} was not measured in this run (BENCH_ENGINE_BACKENDS)._`);
    }
  }
  for (const failure of part.failures) {
    lines.push('', `_${failure.backend} failed: ${failure.error.replace(/\s+/g, ' ')}_`);
    budgetLines.push({
      name: `engine overhead measured on ${failure.backend}`,
      value: 'failed',
      pass: false,
    });
  }
  return lines;
}

const fileList = (files: FileBytes[]) =>
  files
    .map((file) => `\`${file.path.split('/').pop() ?? file.path}\` ${kib(file.bytes).toFixed(0)} KiB`)
    .join(', ');

function firstLoadSection(part: FirstLoadPart | undefined, budgetLines: Budget[]): string[] {
  if (!part) return ['_The first-load suite did not finish; no figures._'];
  const s = part.summary;
  const early = new Map(part.runs.flatMap((run) => run.beforeInteractive).map((file) => [file.path, file]));
  const startup = new Map(part.runs.flatMap((run) => run.startup).map((file) => [file.path, file]));
  const engineEarly = [...early.values()].filter((file) => file.engine);
  const engineLater = [...startup.values()].filter((file) => file.engine && !early.has(file.path));
  const lines = [
    `Production build served by \`vite preview\`, fresh browser profile each time (cold HTTP cache, service worker blocked), ${part.repeats} loads. “Usable”: header and composer shown and the model button enabled (the device check has run).`,
    '',
    '| | median (min–max) |',
    '| --- | ---: |',
    `| first contentful paint, ms | ${cell(s.firstContentfulPaintMs)} |`,
    `| usable, ms | ${cell(s.interactiveMs)} |`,
    `| JavaScript before usable, KiB (raw) | ${cell(s.jsBytes, 1, 1 / 1024)} |`,
    `| JavaScript before usable, KiB (gzip) | ${cell(s.jsGzip, 1, 1 / 1024)} |`,
    `| CSS before usable, KiB (raw) | ${cell(s.cssBytes, 1, 1 / 1024)} |`,
    `| CSS before usable, KiB (gzip) | ${cell(s.cssGzip, 1, 1 / 1024)} |`,
    '',
    `- Fetched before usable (any run): ${fileList([...early.values()])}.`,
    `- Engine libraries (WebLLM, transformers.js, ONNX Runtime) before usable: ${engineEarly.length === 0 ? '**none**' : fileList(engineEarly)}.`,
    `- Engine libraries fetched in the ${part.afterMs / 1000} s after (no model chosen yet): ${engineLater.length === 0 ? '**none**' : fileList(engineLater)}.`,
  ];
  if (part.precache) {
    lines.push(
      `- The service worker (not blocked on a real first visit) precaches ${part.precache.files} files, ${(part.precache.bytes / 1048576).toFixed(1)} MiB, of which ${(part.precache.engineBytes / 1048576).toFixed(1)} MiB are engine libraries.`,
    );
  }
  const jsGzip = kib(s.jsGzip?.median ?? Infinity);
  const cssGzip = kib(s.cssGzip?.median ?? Infinity);
  const usable = s.interactiveMs?.median ?? Infinity;
  budgetLines.push(
    {
      name: `first-load JavaScript ≤ ${budgets.firstLoadJsGzipKiB} KiB gzip`,
      value: `${jsGzip.toFixed(1)} KiB`,
      pass: jsGzip <= budgets.firstLoadJsGzipKiB,
    },
    {
      name: `first-load CSS ≤ ${budgets.firstLoadCssGzipKiB} KiB gzip`,
      value: `${cssGzip.toFixed(1)} KiB`,
      pass: cssGzip <= budgets.firstLoadCssGzipKiB,
    },
    {
      name: `usable ≤ ${budgets.interactiveMs} ms after navigation`,
      value: `${usable.toFixed(0)} ms`,
      pass: usable <= budgets.interactiveMs,
    },
    {
      name: 'no engine library among the first-load bytes',
      value: engineEarly.length === 0 ? 'none' : `${engineEarly.length} files`,
      pass: engineEarly.length === 0,
    },
    {
      name: `no engine library fetched in the ${part.afterMs / 1000} s after load, before a model is chosen`,
      value:
        engineLater.length === 0
          ? 'none'
          : `${(kib(engineLater.reduce((sum, file) => sum + file.bytes, 0)) / 1024).toFixed(1)} MiB`,
      pass: engineLater.length === 0,
    },
  );
  return lines;
}

function historySection(part: HistoryPart | undefined, budgetLines: Budget[]): string[] {
  if (!part) return ['_The history suite did not finish; no figures._'];
  const lines = [
    `${part.conversations.toLocaleString('en-GB')} conversations of ${part.messagesEach} messages (replies of about 3 kB) and one of ${part.longMessages}, written through the app's storage module; ${part.listMs?.runs ?? 0} openings.`,
    '',
    '| | median (min–max), ms |',
    '| --- | ---: |',
    `| open the app until the list counts all ${(part.conversations + 1).toLocaleString('en-GB')} and shows its first rows | ${cell(part.listMs)} |`,
    `| open the app until it is usable | ${cell(part.interactiveMs)} |`,
    `| click the ${part.longMessages}-message conversation until its newest messages are shown, at its end | ${cell(part.shownLongMs)} |`,
    `| … until all its messages are in the page (text; the last few as markdown) | ${cell(part.openLongMs)} |`,
    `| … until every one of them is rendered as markdown | ${cell(part.renderLongMs)} |`,
    `| save one message into the ${part.longMessages}-message conversation | ${cell(part.saveMs, 1)} |`,
  ];
  const list = part.listMs?.median ?? Infinity;
  const open = part.shownLongMs?.median ?? Infinity;
  const save = part.saveMs?.median ?? Infinity;
  budgetLines.push(
    {
      name: `list of ${part.conversations + 1} shown ≤ ${budgets.historyListMs} ms after navigation`,
      value: `${list.toFixed(0)} ms`,
      pass: list <= budgets.historyListMs,
    },
    {
      name: `${part.longMessages}-message conversation: newest messages shown ≤ ${budgets.openLongMs} ms after the click`,
      value: `${open.toFixed(0)} ms`,
      pass: open <= budgets.openLongMs,
    },
    {
      name: `one message saved into ${part.longMessages} ≤ ${budgets.saveMs} ms`,
      value: `${save.toFixed(1)} ms`,
      pass: save <= budgets.saveMs,
    },
  );
  return lines;
}

function downloadSection(part: DownloadPart | undefined): string[] {
  if (!part) return ['No figures: the download suite did not run or failed.'];
  const mib = (bytes: number) => (bytes / 1024 / 1024).toLocaleString('en-GB', { maximumFractionDigits: 1 });
  return [
    `A ${mib(part.sizeBytes)} MiB file from the stand-in host, throttled to ${mib(part.throttleBytesPerSecond)} MiB/s per connection, into OPFS through the app's downloader (${mib(part.chunkBytes)} MiB chunks, sha256 checked); MB/s from the first request to the file verified. The app's default is ${part.defaultParallel} in flight.`,
    '',
    '| connections | MB/s | ÷ one stream |',
    '| --- | ---: | ---: |',
    `| 1 (one stream) | ${cell(part.stream, 1)} | 1.00 |`,
    ...part.parallel.map(
      (row) =>
        `| ${row.connections}${row.connections === part.defaultParallel ? ' (default)' : ''} | ${cell(row.mbPerSecond, 1)} | ${row.ratio?.toFixed(2) ?? '—'} |`,
    ),
    '',
    '| cut at 50%, then resumed | bytes served in all | re-fetched | chunks |',
    '| --- | ---: | ---: | ---: |',
    ...part.cut.map(
      (row) =>
        `| ${row.kind} | ${row.servedBytes.toLocaleString('en-GB')} | ${row.refetchedBytes.toLocaleString('en-GB')} | ${(row.refetchedBytes / part.chunkBytes).toFixed(2)} |`,
    ),
    ...(part.failures.length ? ['', ...part.failures.map((failure) => `- failed: ${failure}`)] : []),
  ];
}

function turnCostSection(part: Parts['turn-cost'], budgetLines: Budget[]): string[] {
  if (!part) return ['_The turn-cost suite did not finish; no figures._'];
  const lines = [
    "A 10-turn conversation through the real transformers.js runtime and `tiny-r1` (151,936-wide logits for every prefilled token, no `num_logits_to_keep`, like the January 2025 1.5B export): turn 1's reply is decoded whole, later ones stop after two tokens. Before: every prompt prefilled whole; after: the kept prefix's keys and values reused.",
  ];
  for (const backend of part.backends) {
    lines.push('', ...turnCostTable(backend));
    budgetLines.push(...turnCostBudgets(backend));
  }
  lines.push(...part.failures.map((failure) => `- failed on ${failure.backend}: ${failure.error}`));
  return lines;
}

const loadText = (load: number[] | undefined) => (load ? load[0].toFixed(1) : '?');

/** The report as Markdown, and the budget lines it contains. */
export function renderReport(parts: Parts, generatedAt: Date): { markdown: string; budgets: Budget[] } {
  const budgetLines: Budget[] = [];
  const cpu = cpus();
  const sections = [
    '# Harbour Chat benchmarks',
    '',
    `Run ${generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpu.length} × ${cpu[0]?.model.trim() ?? 'CPU'}, headless Chromium ${parts.environment?.chromium ?? ''}; load average ${loadText(parts['load-at-start']?.loadAverage)} at the start and ${loadText(parts.environment?.loadAtEnd)} at the end (above ${cpu.length}, other work competed for the cores and absolute figures are pessimistic). Each cell is the median, with the min and max in brackets, of repeated runs made in one \`npm run bench\`.`,
    '',
    '## Streaming overhead',
    '',
    ...streamingSection(parts.streaming, budgetLines, { rate: 100, share: budgets.busyShareAt100 }),
    '',
    '### On a phone',
    '',
    ...streamingSection(parts['streaming-phone'], budgetLines, { rate: 30, share: budgets.phoneBusyShare }),
    '',
    '## Engine overhead',
    '',
    ...engineSection(parts.engine, budgetLines),
    '',
    '## First load',
    '',
    ...firstLoadSection(parts['first-load'], budgetLines),
    '',
    '## History at scale',
    '',
    ...historySection(parts.history, budgetLines),
    '',
    '## Download',
    '',
    ...downloadSection(parts.download),
    '',
    '## Turn cost',
    '',
    ...turnCostSection(parts['turn-cost'], budgetLines),
    '',
    '## Budgets',
    '',
    ...budgetLines.map((budget) => `- ${budget.pass ? 'PASS' : '**FAIL**'} ${budget.name}: ${budget.value}`),
    '',
  ];
  return { markdown: sections.join('\n'), budgets: budgetLines };
}

export function writeReport(chromium = ''): void {
  const parts = { ...(readParts() as Parts), environment: { chromium, loadAtEnd: loadavg() } };
  const generatedAt = new Date();
  const { markdown, budgets: budgetLines } = renderReport(parts, generatedAt);
  writeFileSync(join(repoRoot, 'bench/results.md'), markdown);
  writeFileSync(
    join(repoRoot, 'bench/results.json'),
    `${JSON.stringify({ generatedAt: generatedAt.toISOString(), budgets: budgetLines, ...parts }, null, 2)}\n`,
  );
  console.log(`\n${markdown}`);
}
