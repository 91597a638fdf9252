/**
 * Preloads, from index.html, the app that src/main.ts imports only after its framing check: without
 * this the browser learns of the app's chunks (and its CSS) only once the entry has run, a second
 * round trip before the app's code can even be parsed. A module preload fetches and compiles but
 * evaluates nothing, so a framed page still runs none of the app.
 */
import type { HtmlTagDescriptor, Plugin, Rolldown } from 'vite';

const APP_MODULE = /\/src\/App\.svelte$/;

/** The chunk and every chunk it imports statically, each once (the chunk first). */
function withStaticImports(
  bundle: Rolldown.OutputBundle,
  fileName: string,
  seen = new Set<string>(),
): string[] {
  const chunk = bundle[fileName];
  if (seen.has(fileName) || chunk?.type !== 'chunk') return [];
  seen.add(fileName);
  return [fileName, ...chunk.imports.flatMap((file) => withStaticImports(bundle, file, seen))];
}

export function preloadApp(): Plugin {
  let base = '/';
  return {
    name: 'harbour-chat:preload-app',
    apply: 'build',
    configResolved(config) {
      base = config.base;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle, chunk: entry }) {
        if (!bundle || !entry) return;
        const app = Object.values(bundle).find(
          (output) => output.type === 'chunk' && APP_MODULE.test(output.facadeModuleId ?? ''),
        );
        if (!app) return;
        // The entry's own imports are preloaded by Vite already.
        const files = withStaticImports(bundle, app.fileName).filter(
          (file) => file !== entry.fileName && !entry.imports.includes(file),
        );
        const css = files.flatMap((file) => {
          const output = bundle[file];
          return output?.type === 'chunk' ? [...(output.viteMetadata?.importedCss ?? [])] : [];
        });
        const tags: HtmlTagDescriptor[] = [
          ...files.map((file) => ({
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: base + file },
            injectTo: 'head' as const,
          })),
          // Fetched now, applied when the app's import adds it (as before).
          ...css.map((file) => ({
            tag: 'link',
            attrs: { rel: 'preload', as: 'style', crossorigin: true, href: base + file },
            injectTo: 'head' as const,
          })),
        ];
        return tags;
      },
    },
  };
}
