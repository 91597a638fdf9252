/**
 * `npm run verify:sizes`: loads a synthetic model with the real file's shapes (make_models.py) for
 * every ONNX variant the device policy offers, on every backend it offers it on, in Chromium here.
 * Not part of `npm test`: each case moves 1.4-2 GB and takes a minute or more.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: /verify-sizes\.spec\.ts$/,
  outputDir: '../../test-results/verify-sizes',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 20 * 60_000,
  reporter: [['list']],
});
