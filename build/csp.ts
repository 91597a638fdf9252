/**
 * The Content Security Policy, written at build time from the model host settings so that it names
 * exactly the hosts this build talks to: the page's as a meta tag in index.html, the engine
 * worker's through the service worker (a meta tag does not reach a worker; sw/engine-policy.ts).
 */
import { loadEnv, type Plugin } from 'vite';
import { modelHosts } from '../src/shared/config';
import { ENGINE_POLICY_SCRIPT, serviceWorkerScript } from './service-worker';

type BuildEnv = Record<string, string | undefined>;

/** The origins the engine may connect to: the model host(s), and Hugging Face's file hosts with it. */
function modelOrigins(env: BuildEnv): string[] {
  const { modelHost, modelLibHost } = modelHosts(env);
  const origins = new Set([new URL(modelHost).origin, new URL(modelLibHost).origin]);
  if (new URL(modelHost).origin === 'https://huggingface.co') {
    // Large files are redirected to Hugging Face's CDN and storage hosts (cdn-lfs…, cas-bridge…).
    origins.add('https://*.huggingface.co');
    origins.add('https://*.hf.co');
  }
  return [...origins];
}

/**
 * The page's policy (a meta tag). The page itself runs no WebAssembly and imports no blob: code —
 * the engine worker does both — so its script policy is just 'self'.
 */
export function pagePolicy(env: BuildEnv): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self'",
    `connect-src 'self' ${modelOrigins(env).join(' ')}`,
    // Svelte and KaTeX write inline styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * The engine worker's policy. It limits connections only: the runtimes compile wasm and import ONNX
 * Runtime's loader from a blob: URL, which a script policy would have to allow anyway. data: and
 * blob: never leave the device.
 */
export function enginePolicy(env: BuildEnv): string {
  return `connect-src 'self' ${modelOrigins(env).join(' ')} data: blob:`;
}

/**
 * Writes the page's policy into the built index.html, right after the charset so that it governs
 * every element that follows, and emits the service worker's engine policy script.
 */
export function contentSecurityPolicy(): Plugin {
  let env: BuildEnv = {};
  let root = process.cwd();
  return {
    name: 'harbour-chat:csp',
    apply: 'build',
    configResolved(config) {
      env = loadEnv(config.mode, config.envDir || process.cwd(), 'VITE_');
      root = config.root;
    },
    transformIndexHtml(html) {
      const charset = '<meta charset="UTF-8" />';
      if (!html.includes(charset)) throw new Error(`index.html needs ${charset} for the CSP to follow`);
      return html.replace(
        charset,
        `${charset}\n    <meta http-equiv="Content-Security-Policy" content="${pagePolicy(env)}" />`,
      );
    },
    async generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: ENGINE_POLICY_SCRIPT,
        source: await serviceWorkerScript(root, 'sw/engine-policy.ts', { ENGINE_POLICY: enginePolicy(env) }),
      });
    },
  };
}
