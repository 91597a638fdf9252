/**
 * The downloader page: starts bench/pages/download.worker.ts and hands it to the bench. `restart`
 * kills the worker outright (as a crash or a closed tab would) and starts a fresh one.
 */
import * as Comlink from 'comlink';
import type { DownloadBenchApi } from './download.worker';

export interface DownloadPage {
  api(): Comlink.Remote<DownloadBenchApi>;
  restart(): void;
}

declare global {
  interface Window {
    downloadBench?: DownloadPage;
  }
}

function start(): { worker: Worker; api: Comlink.Remote<DownloadBenchApi> } {
  const worker = new Worker(new URL('./download.worker.ts', import.meta.url), {
    type: 'module',
    name: 'bench-download',
  });
  return { worker, api: Comlink.wrap<DownloadBenchApi>(worker) };
}

let current = start();

window.downloadBench = {
  api: () => current.api,
  restart() {
    current.worker.terminate();
    current = start();
  },
};
