import { describe, expect, it } from 'vitest';
import {
  type EffectiveFaults,
  parseFaultsText,
  pickDelayMs,
  resolveFaults,
  shouldFail,
} from './faults-config.js';

const defaults: EffectiveFaults = {
  errorRate: 0.01,
  latencyMs: 5,
  latencyJitterMs: 0,
  flags: { fromEnv: true },
};

describe('parseFaultsText', () => {
  it('accepts a file keyed by version and *', () => {
    const result = parseFaultsText(
      JSON.stringify({
        'v1.1': { errorRate: 0.2, latencyMs: 100, latencyJitterMs: 10, flags: { newBanner: true } },
        '*': { latencyMs: 1 },
      }),
    );
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.config['v1.1']?.errorRate).toBe(0.2);
  });

  it('accepts an empty object and ignores unknown fields', () => {
    expect(parseFaultsText('{}').ok).toBe(true);
    const result = parseFaultsText('{"v1.0": {"futureField": 1}}');
    expect(result).toEqual({ ok: true, config: { 'v1.0': {} } });
  });

  it('rejects bad JSON', () => {
    const result = parseFaultsText('{not json');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/invalid JSON/);
  });

  it.each([
    ['{"v1.1": {"errorRate": 1.5}}', /"v1\.1"\."errorRate"/],
    ['{"v1.1": {"errorRate": -0.1}}', /"v1\.1"\."errorRate"/],
    ['{"v1.1": {"latencyMs": -1}}', /"v1\.1"\."latencyMs"/],
    ['{"*": {"latencyJitterMs": "10"}}', /"\*"\."latencyJitterMs"/],
    ['{"v1.0": {"flags": {"newBanner": "yes"}}}', /"v1\.0"\."flags"\."newBanner"/],
    ['{"v1.0": 3}', /"v1\.0"/],
    ['[]', /\(root\)/],
  ])('rejects %s naming the field', (text, field) => {
    const result = parseFaultsText(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(field);
  });
});

describe('resolveFaults', () => {
  it('uses env defaults without a file', () => {
    expect(resolveFaults(undefined, 'v1.0', defaults)).toEqual(defaults);
  });

  it("layers defaults, then *, then the version's own entry", () => {
    const config = {
      '*': { errorRate: 0.5, latencyMs: 50, flags: { a: true, b: true } },
      'v1.1': { errorRate: 0.2, flags: { b: false } },
    };
    expect(resolveFaults(config, 'v1.1', defaults)).toEqual({
      errorRate: 0.2,
      latencyMs: 50,
      latencyJitterMs: 0,
      flags: { fromEnv: true, a: true, b: false },
    });
    expect(resolveFaults(config, 'v1.0', defaults).errorRate).toBe(0.5);
  });

  it('does not mutate the defaults', () => {
    resolveFaults({ '*': { flags: { x: true } } }, 'v1.0', defaults);
    expect(defaults.flags).toEqual({ fromEnv: true });
  });
});

describe('pickDelayMs / shouldFail', () => {
  const faults: EffectiveFaults = { errorRate: 0.2, latencyMs: 100, latencyJitterMs: 10, flags: {} };
  it('applies jitter symmetrically and never goes negative', () => {
    expect(pickDelayMs(faults, () => 0)).toBe(90);
    expect(pickDelayMs(faults, () => 0.5)).toBe(100);
    expect(pickDelayMs(faults, () => 1)).toBe(110);
    expect(pickDelayMs({ ...faults, latencyMs: 0 }, () => 0)).toBe(0);
  });
  it('fails with the configured probability', () => {
    expect(shouldFail(faults, () => 0.19)).toBe(true);
    expect(shouldFail(faults, () => 0.2)).toBe(false);
    expect(shouldFail({ ...faults, errorRate: 0 }, () => 0)).toBe(false);
  });
});
