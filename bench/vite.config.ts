/**
 * The bench's own pages (bench/pages): a bare engine worker running the real transformers.js
 * runtime with no UI, a page that seeds and times the app's history store, and the model
 * downloader in a bare worker. Built apart from
 * the app so that the app's chunks are exactly what ships; placed under the app's build at /bench/
 * (BENCH_PAGES_OUT_DIR) so that they share its origin and IndexedDB.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const pages = fileURLToPath(new URL('pages', import.meta.url));

export default defineConfig({
  root: pages,
  base: '/bench/',
  envDir: resolve(pages, '../..'),
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: process.env.BENCH_PAGES_OUT_DIR ?? resolve(pages, '../../dist-bench/bench'),
    emptyOutDir: true,
    rolldownOptions: {
      input: {
        engine: resolve(pages, 'engine.html'),
        history: resolve(pages, 'history.html'),
        download: resolve(pages, 'download.html'),
        'hong-kong': resolve(pages, 'hong-kong.html'),
      },
    },
  },
});
