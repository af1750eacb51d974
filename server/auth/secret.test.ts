import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** Fresh modules per case: env() and the configuration are read once per process. */
async function secretWith(env: Record<string, string | undefined>) {
  vi.resetModules();
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const { authSecret } = await import('./secret');
  return authSecret;
}
afterEach(() => vi.unstubAllEnvs());

describe('AUTH_SECRET', () => {
  it('is required in production outside the lab, with a message naming it', async () => {
    const authSecret = await secretWith({
      AUTH_SECRET: '',
      NODE_ENV: 'production',
      CONTROL_CENTER_CONFIG: '',
    });
    expect(() => authSecret()).toThrow(/^AUTH_SECRET: required outside the lab/);
  });

  it('a lab config (auth.lab: true) may run without one: a random per-process secret', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cc-lab-')), 'cc.yaml');
    writeFileSync(file, 'auth:\n  lab: true\n');
    const authSecret = await secretWith({
      AUTH_SECRET: '',
      NODE_ENV: 'production',
      CONTROL_CENTER_CONFIG: file,
    });
    expect(authSecret()).toMatch(/^[0-9a-f]{64}$/);
    expect(authSecret()).toBe(authSecret());
  });

  it('must be long enough when set', async () => {
    const { parseEnv } = await import('../config/env');
    expect(() => parseEnv({ AUTH_SECRET: 'short' })).toThrow(/AUTH_SECRET: AUTH_SECRET must be at least 32/);
  });
});
