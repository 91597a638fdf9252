import { describe, expect, it } from 'vitest';
import { enginePolicy, pagePolicy } from '../../build/csp';

describe('the build-time Content Security Policy', () => {
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
