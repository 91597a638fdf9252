/**
 * Where the bench runs: ports, build folders and the browser. Shared by bench/playwright.config.ts
 * (which builds and serves) and the suites (which drive Chromium themselves, because one run needs
 * browsers with and without WebGPU). Ports can be moved with BENCH_PORT so runs do not meet.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { baseArgs, browserPath, webgpuArgs } from '../../tests/chromium';

export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

const APP_PORT = Number(process.env.BENCH_PORT ?? 4473);
export const ports = { app: APP_PORT, modelHost: APP_PORT + 1, production: APP_PORT + 2 };

/** The test build (scripted and tiny models on) with the bench pages under /bench/. */
export const appUrl = `http://localhost:${ports.app}`;
/** The production build, for the first-load figures. */
export const productionUrl = `http://localhost:${ports.production}`;
export const modelHostUrl = `http://127.0.0.1:${ports.modelHost}`;

export const buildDirs = { app: 'dist-bench', production: 'dist-bench-prod' };

/** Where the suites leave their parts (the report itself goes to bench/results.*). */
export const resultsDir = resolve(repoRoot, 'test-results/bench-parts');

/** Headless Chromium; with `webgpu`, WebGPU on SwiftShader, else no adapter (the app picks wasm). */
export function launchChromium(webgpu: boolean): Promise<Browser> {
  return chromium.launch({
    executablePath: browserPath(),
    args: webgpu ? [...baseArgs, ...webgpuArgs] : baseArgs,
  });
}

/**
 * A fresh profile for one measurement. The service worker is blocked: its install precaches the
 * whole app shell in the background (tens of megabytes), which would run during the measurement.
 */
export function freshContext(browser: Browser, baseURL = appUrl): Promise<BrowserContext> {
  return browser.newContext({ baseURL, serviceWorkers: 'block', viewport: { width: 1280, height: 800 } });
}
