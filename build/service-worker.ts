/**
 * The service worker's own scripts (sw/), which Workbox's generated service worker imports before
 * its handlers: written as TypeScript, compiled here without bundling, each wrapped in a function of
 * its own with the build-time constants it declares.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { transformWithOxc, type Plugin } from 'vite';
import { KEEP_RUNTIME_MESSAGE } from '../src/lib/pwa/runtimes';

/** Serves the engine worker with its policy (sw/engine-policy.ts; emitted by build/csp.ts). */
export const ENGINE_POLICY_SCRIPT = 'sw-engine-policy.js';
/** Keeps each runtime's code once it has been used (sw/runtime-cache.ts). */
export const RUNTIME_CACHE_SCRIPT = 'sw-runtimes.js';

/**
 * A runtime's code, by output file name: its lazily imported chunk and, for transformers.js, ONNX
 * Runtime's wasm and loader (~27 MB) — downloaded only when a model of that runtime is first loaded.
 */
export const RUNTIME_FILES: Record<string, RegExp> = {
  webllm: /^assets\/webllm-[\w-]+\.js$/,
  transformers: /^assets\/(transformers-[\w-]+\.js|ort-wasm-[\w.-]+\.(wasm|mjs))$/,
  scripted: /^assets\/scripted-[\w-]+\.js$/,
};

/** Compiles one sw/ script into a classic script with its declared constants defined. */
export async function serviceWorkerScript(
  root: string,
  file: string,
  constants: Record<string, unknown>,
): Promise<string> {
  const path = resolve(root, file);
  const { code } = await transformWithOxc(await readFile(path, 'utf8'), path, { lang: 'ts' });
  const defined = Object.entries(constants).map(
    ([name, value]) => `const ${name} = ${JSON.stringify(value)};`,
  );
  return `// Built from ${file} by build/service-worker.ts.\n(() => {\n${defined.join('\n')}\n${code}})();\n`;
}

/** Emits the runtime cache script, listing this build's runtime files (worker chunks included). */
export function runtimeCache(): Plugin {
  let root = process.cwd();
  return {
    name: 'harbour-chat:runtime-cache',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      root = config.root;
    },
    async generateBundle(_options, bundle) {
      const files: Record<string, string[]> = {};
      for (const [kind, pattern] of Object.entries(RUNTIME_FILES)) {
        const matched = Object.keys(bundle).filter((file) => pattern.test(file));
        if (matched.length > 0) files[kind] = matched.sort();
      }
      const patterns = Object.fromEntries(
        Object.entries(RUNTIME_FILES).map(([kind, pattern]) => [kind, pattern.source]),
      );
      this.emitFile({
        type: 'asset',
        fileName: RUNTIME_CACHE_SCRIPT,
        source: await serviceWorkerScript(root, 'sw/runtime-cache.ts', {
          RUNTIME_FILES: files,
          RUNTIME_PATTERNS: patterns,
          KEEP_RUNTIME_MESSAGE,
        }),
      });
    },
  };
}
