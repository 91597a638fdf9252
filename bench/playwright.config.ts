/**
 * `npm run bench`: builds what it measures, serves it, and runs bench/suites/*.bench.ts one after
 * another. The app is built twice: with the test models (and the bench pages beside it under
 * /bench/, same origin, so they can seed its IndexedDB) and as shipped (for the first-load figures).
 * The suites launch Chromium themselves, with and without WebGPU. The global teardown writes
 * bench/results.json and bench/results.md.
 */
import { defineConfig } from '@playwright/test';
import { buildDirs, modelHostUrl, ports, repoRoot } from './lib/setup';

const testBuildEnv = { VITE_TEST_MODELS: 'true', VITE_MODEL_HOST: modelHostUrl };

export default defineConfig({
  testDir: 'suites',
  testMatch: /\.bench\.ts$/,
  outputDir: '../test-results/bench',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 10 * 60_000,
  reporter: [['list']],
  globalSetup: './lib/global-setup.ts',
  globalTeardown: './lib/global-teardown.ts',
  webServer: [
    {
      command: `node tests/model-host.mjs ${ports.modelHost}`,
      cwd: repoRoot,
      url: `${modelHostUrl}/health`,
      // The first start generates the tiny models (tests/fixtures/ensure-tiny-models.mjs).
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: 'ignore',
    },
    {
      command:
        `vite build --outDir ${buildDirs.app} --emptyOutDir --logLevel warn && ` +
        `vite build --config bench/vite.config.ts --logLevel warn && ` +
        `vite preview --outDir ${buildDirs.app} --port ${ports.app} --strictPort`,
      cwd: repoRoot,
      url: `http://localhost:${ports.app}`,
      timeout: 180_000,
      reuseExistingServer: false,
      env: { ...testBuildEnv, BENCH_PAGES_OUT_DIR: `${repoRoot}/${buildDirs.app}/bench` },
    },
    {
      command:
        `vite build --outDir ${buildDirs.production} --emptyOutDir --logLevel warn && ` +
        `vite preview --outDir ${buildDirs.production} --port ${ports.production} --strictPort`,
      cwd: repoRoot,
      url: `http://localhost:${ports.production}`,
      timeout: 180_000,
      reuseExistingServer: false,
      env: { VITE_TEST_MODELS: 'false', VITE_MODEL_HOST: '' },
    },
  ],
});
