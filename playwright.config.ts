/**
 * End-to-end tests run in real Chromium against the built app (vite build + vite preview), with
 * the test models enabled and the model host pointed at a local stand-in. Playwright's own Chromium
 * is used where it is installed; otherwise Debian's /usr/bin/chromium.
 */
import { defineConfig } from '@playwright/test';
import { baseArgs, browserPath, webgpuArgs } from './tests/chromium';

// Ports can be moved so that several runs on one machine do not meet (PW_APP_PORT, PW_MODEL_PORT).
const APP_PORT = Number(process.env.PW_APP_PORT ?? 4173);
const MODEL_HOST_PORT = Number(process.env.PW_MODEL_PORT ?? APP_PORT + 1);
const OUT_DIR = `dist-test-${APP_PORT}`;
// The offline/deployment tests use a second build, served from a sub-path as on GitHub Pages.
const PAGES_PORT = Number(process.env.PW_PAGES_PORT ?? APP_PORT + 2);
const PAGES_BASE = '/harbour-chat/';
const PAGES_OUT_DIR = `dist-test-pages-${PAGES_PORT}`;

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: `test-results/${APP_PORT}`,
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://localhost:${APP_PORT}`,
    trace: 'retain-on-failure',
    launchOptions: { executablePath: browserPath(), args: [...baseArgs, ...webgpuArgs] },
  },
  projects: [
    { name: 'webgpu', testIgnore: [/no-webgpu/, /offline/] },
    {
      name: 'no-webgpu',
      testMatch: /no-webgpu/,
      use: {
        launchOptions: {
          executablePath: browserPath(),
          args: baseArgs,
        },
      },
    },
    {
      // Service worker, manifest, offline use and the request audit, against the sub-path build. The
      // tiny model runs on wasm here (no WebGPU flags), which is fast; the GPU path is tested above.
      name: 'offline',
      testMatch: /offline.*\.spec\.ts/,
      use: {
        baseURL: `http://localhost:${PAGES_PORT}${PAGES_BASE}`,
        launchOptions: { executablePath: browserPath(), args: baseArgs },
      },
    },
  ],
  webServer: [
    {
      command: `node tests/model-host.mjs ${MODEL_HOST_PORT}`,
      url: `http://127.0.0.1:${MODEL_HOST_PORT}/health`,
      // The first start generates the tiny models (tests/fixtures/ensure-tiny-models.mjs).
      timeout: 300_000,
      reuseExistingServer: false,
      stdout: 'ignore',
    },
    {
      command: `vite build --outDir ${OUT_DIR} --emptyOutDir && vite preview --outDir ${OUT_DIR} --port ${APP_PORT} --strictPort`,
      url: `http://localhost:${APP_PORT}`,
      timeout: 180_000,
      reuseExistingServer: false,
      env: {
        VITE_TEST_MODELS: 'true',
        VITE_MODEL_HOST: `http://127.0.0.1:${MODEL_HOST_PORT}`,
      },
    },
    {
      command: `vite build --outDir ${PAGES_OUT_DIR} --emptyOutDir && vite preview --outDir ${PAGES_OUT_DIR} --base ${PAGES_BASE} --port ${PAGES_PORT} --strictPort`,
      url: `http://localhost:${PAGES_PORT}${PAGES_BASE}`,
      timeout: 180_000,
      reuseExistingServer: false,
      env: {
        BASE_PATH: PAGES_BASE,
        VITE_TEST_MODELS: 'true',
        VITE_MODEL_HOST: `http://127.0.0.1:${MODEL_HOST_PORT}`,
      },
    },
  ],
});
