/**
 * The app's downloader (workers/download/) in a worker of its own, driven by the download bench:
 * one file, the given tuning, timed from the first request to the file stored and verified.
 */
import * as Comlink from 'comlink';
import type { DownloadTuning } from '../../src/shared/engine';
import { downloadFiles, type DownloadReport } from '../../workers/download/downloader';
import { deleteRepo, downloadsRoot } from '../../workers/download/store';

export interface DownloadRun {
  ok: boolean;
  ms: number;
  error?: string;
  last?: DownloadReport;
}

const api = {
  async run(url: string, repo: string, file: string, tuning: DownloadTuning): Promise<DownloadRun> {
    const started = performance.now();
    let last: DownloadReport | undefined;
    try {
      await downloadFiles([{ repo, file, url }], {
        ...tuning,
        signal: new AbortController().signal,
        onProgress: (report) => (last = report),
      });
      return { ok: true, ms: performance.now() - started, last };
    } catch (cause) {
      const error =
        cause instanceof Error || cause instanceof DOMException
          ? `${cause.name}: ${cause.message}`
          : String(cause);
      return { ok: false, ms: performance.now() - started, error, last };
    }
  },

  async clear(repo: string): Promise<void> {
    await deleteRepo(repo, await downloadsRoot());
  },
};

export type DownloadBenchApi = typeof api;

Comlink.expose(api);
