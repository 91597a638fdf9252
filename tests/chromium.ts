/**
 * The browser every test and benchmark drives: Playwright's own Chromium where it is installed,
 * otherwise Debian's /usr/bin/chromium (Playwright cannot download browsers on these machines).
 * The flags keep headless Chromium quiet on a closed network; WebGPU runs on SwiftShader.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export function browserPath(): string | undefined {
  try {
    if (existsSync(chromium.executablePath())) return undefined;
  } catch {
    // Playwright has no browser of its own here.
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

export const baseArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-dev-shm-usage',
];

export const webgpuArgs = [
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--enable-features=Vulkan',
];
