import { afterEach, describe, expect, it, vi } from 'vitest';
import { enginePolicy, modelHosts, pagePolicy } from '../../vite.config';

const settings: Record<string, string>[] = [
  {},
  { VITE_MODEL_HOST: 'https://models.example.org/' },
  { VITE_MODEL_HOST: 'https://models.example.org', VITE_MODEL_LIB_HOST: 'https://libs.example.net/web-llm' },
];

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('the build-time Content Security Policy', () => {
  it.each(settings)('names the same model hosts as the app reads at run time (%o)', async (env) => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const runtime = await import('../../src/shared/config');
    expect(modelHosts(env)).toEqual({ modelHost: runtime.modelHost, modelLibHost: runtime.modelLibHost });
  });

  it('allows Hugging Face, its file hosts and the WebLLM library host by default', () => {
    expect(pagePolicy({})).toContain(
      "connect-src 'self' https://huggingface.co https://raw.githubusercontent.com https://*.huggingface.co https://*.hf.co;",
    );
  });

  it('allows only a mirror when one is configured', () => {
    const env = { VITE_MODEL_HOST: 'https://models.example.org/hf' };
    expect(pagePolicy(env)).toContain("connect-src 'self' https://models.example.org;");
    expect(enginePolicy(env)).toBe("connect-src 'self' https://models.example.org data: blob:");
  });

  it('never allows code from strings or from other origins in the page', () => {
    const policy = pagePolicy({});
    expect(policy).toContain("script-src 'self';");
    expect(policy).not.toMatch(/unsafe-eval|\*;|https:;/);
    expect(policy).toContain("object-src 'none'");
  });
});
