/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_MODEL_HOST?: string;
  readonly VITE_MODEL_LIB_HOST?: string;
  readonly VITE_TEST_MODELS?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
