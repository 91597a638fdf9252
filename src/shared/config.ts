/**
 * Build-time settings shared by the page and the engine worker.
 * VITE_MODEL_HOST points both runtimes at a model host laid out like Hugging Face
 * (`<host>/<org>/<name>/resolve/main/<file>`): the default, or a deployer's own mirror.
 */

const DEFAULT_MODEL_HOST = 'https://huggingface.co';

/**
 * The hosts the engine downloads from, for these build settings. The build's Content Security
 * Policy (build/csp.ts) reads the same function, so the policy names exactly these hosts.
 */
export function modelHosts(env: Partial<Record<'VITE_MODEL_HOST' | 'VITE_MODEL_LIB_HOST', string>>): {
  modelHost: string;
  modelLibHost: string;
} {
  const modelHost = (env.VITE_MODEL_HOST || DEFAULT_MODEL_HOST).replace(/\/+$/, '');
  const modelLibHost =
    env.VITE_MODEL_LIB_HOST ||
    (modelHost === DEFAULT_MODEL_HOST
      ? 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models'
      : `${modelHost}/web-llm-models`);
  return { modelHost, modelLibHost };
}

// Vite fills import.meta.env; the build and scripts run outside Vite (npm run verify:sizes) see the defaults.
const viteEnv: Partial<ImportMetaEnv> = import.meta.env ?? {};

/** The model host, without a trailing slash, and where WebLLM model libraries (compiled WebGPU kernels) are fetched from. */
export const { modelHost, modelLibHost } = modelHosts(viteEnv);

/** True in builds made for tests: the scripted runtime and the tiny test models are offered. */
export const testModelsEnabled: boolean = viteEnv.VITE_TEST_MODELS === 'true';

/** WebLLM's model library version (its `modelVersion`; checked against the library in tests/unit). */
export const WEBLLM_LIB_VERSION = 'v0_2_86/base';

/** The URL of a WebLLM model's compiled library (`modelLib` is the catalog's file name). */
export function webllmLibUrl(model: { modelLib?: string }): string {
  return `${modelLibHost}/${WEBLLM_LIB_VERSION}/${model.modelLib ?? ''}`;
}

/** The URL of a model repository's folder on the model host. */
export function modelRepoUrl(repo: string): string {
  return `${modelHost}/${repo}/resolve/main/`;
}
