/**
 * WebLLM reports load progress only as `{progress, timeElapsed, text}`. The phase is read from the
 * text's fixed prefixes (WebLLM 0.2.86); byte counts are derived from the catalog's download size.
 */
import type { InitProgressReport } from '@mlc-ai/web-llm';
import type { LoadPhase, LoadReport } from '../../src/shared/engine';

const phaseByPrefix: [string, LoadPhase][] = [
  ['Start to fetch params', 'downloading'],
  ['Fetching param cache', 'downloading'],
  ['Loading model from cache', 'loading'],
  ['Loading GPU shader modules', 'compiling'],
  ['Finish loading', 'ready'],
];

/** Reads one WebLLM progress report; undefined for reports that carry no phase. */
export function readWebllmProgress(report: InitProgressReport, totalBytes: number): LoadReport | undefined {
  const phase = phaseByPrefix.find(([prefix]) => report.text.startsWith(prefix))?.[1];
  if (!phase) return undefined;
  const fraction = Math.min(Math.max(report.progress, 0), 1);
  if (phase === 'downloading' || phase === 'loading') {
    return { phase, fraction, loadedBytes: Math.round(fraction * totalBytes), totalBytes };
  }
  return { phase, fraction };
}
