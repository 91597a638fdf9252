/**
 * Build settings: what the service worker precaches for offline use, and what it deliberately
 * leaves to the runtimes' own caches. The Content Security Policy is built in build/csp.ts, the
 * service worker's own scripts are in sw/ (built by build/service-worker.ts).
 */
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';
import { defineConfig } from 'vitest/config';
import { contentSecurityPolicy } from './build/csp';
import { preloadApp } from './build/preload-app';
import { ENGINE_POLICY_SCRIPT, RUNTIME_CACHE_SCRIPT, runtimeCache } from './build/service-worker';

// BASE_PATH is the sub-path the site is served from (e.g. "/harbour-chat/" on GitHub Pages).
const base = process.env.BASE_PATH ?? '/';

// Colours from src/app.css: the accent for the title bar, the light background for the splash.
const THEME_COLOUR = '#0b5cad';
const BACKGROUND_COLOUR = '#f7f8fa';

// The app shell is small; the runtimes' code is not precached (below), so this limit only guards
// against a large file dropped into public/ by mistake (left out with a build warning).
const PRECACHE_LIMIT_BYTES = 4 * 1024 * 1024;

export default defineConfig({
  base,
  plugins: [
    svelte(),
    contentSecurityPolicy(),
    preloadApp(),
    runtimeCache(),
    VitePWA({
      // "Reload to update": a new version waits until the user says so (src/lib/pwa/).
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        name: 'Harbour Chat · 海港傾偈',
        short_name: 'Harbour Chat',
        description: 'A private DeepSeek-R1 assistant that runs on your own GPU, in the browser.',
        lang: 'en',
        // Relative to the manifest, so the same build works from any sub-path (the app's id is its
        // start_url: two forks on one github.io origin stay two apps).
        start_url: './',
        scope: './',
        display: 'standalone',
        theme_color: THEME_COLOUR,
        background_color: BACKGROUND_COLOUR,
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      includeAssets: ['icons/favicon.svg', 'icons/apple-touch-icon.png'],
      workbox: {
        // The app shell: the page, its code, the engine worker (which answers "is this model
        // downloaded?" without any runtime) and KaTeX's woff2 fonts (every browser that runs this app
        // reads woff2). Not the runtimes: sw/runtime-cache.ts keeps those once a model needs them. Model
        // weights are never cached here: the runtimes keep them in their own Cache API stores
        // (`transformers-cache`, `webllm/*`), and a cross-origin request never matches a route here.
        globPatterns: ['**/*.{html,js,css,woff2}'],
        globIgnores: [
          ENGINE_POLICY_SCRIPT,
          RUNTIME_CACHE_SCRIPT,
          'assets/webllm-*.js',
          'assets/transformers-*.js',
          'assets/scripted-*.js',
          'assets/ort-wasm-*',
        ],
        importScripts: [ENGINE_POLICY_SCRIPT, RUNTIME_CACHE_SCRIPT],
        maximumFileSizeToCacheInBytes: PRECACHE_LIMIT_BYTES,
        // Lazily loaded chunks are served from the new precache as soon as the first install ends.
        clientsClaim: true,
        cleanupOutdatedCaches: true,
        navigateFallback: 'index.html',
      },
    }),
  ],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: false,
    // Fonts stay files (precached, allowed by font-src 'self') rather than data: URLs in the CSS.
    assetsInlineLimit: (file) => (/\.(woff2?|ttf)$/.test(file) ? false : undefined),
  },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
  },
});
