/**
 * Build-time settings shared by the page and the engine worker.
 * VITE_MODEL_HOST points both runtimes at a model host laid out like Hugging Face
 * (`<host>/<org>/<name>/resolve/main/<file>`): the default, or a deployer's own mirror.
 */

const DEFAULT_MODEL_HOST = 'https://huggingface.co';

// Vite fills import.meta.env; scripts run outside Vite (npm run verify:sizes) see the defaults.
const viteEnv: Partial<ImportMetaEnv> = import.meta.env ?? {};

/** The model host, without a trailing slash. */
export const modelHost: string = (viteEnv.VITE_MODEL_HOST || DEFAULT_MODEL_HOST).replace(/\/+$/, '');

/** True in builds made for tests: the scripted runtime and the tiny test models are offered. */
export const testModelsEnabled: boolean = viteEnv.VITE_TEST_MODELS === 'true';

/** Where WebLLM model libraries (compiled WebGPU kernels) are fetched from. */
export const modelLibHost: string =
  viteEnv.VITE_MODEL_LIB_HOST ||
  (modelHost === DEFAULT_MODEL_HOST
    ? 'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models'
    : `${modelHost}/web-llm-models`);

/** The URL of a model repository's folder on the model host. */
export function modelRepoUrl(repo: string): string {
  return `${modelHost}/${repo}/resolve/main/`;
}
