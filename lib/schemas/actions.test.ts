import { describe, expect, it } from 'vitest';
import { imageReference, loadBodySchema, parseActionRequest } from './actions';

describe('action inputs', () => {
  it('accepts image references by the distribution grammar', () => {
    for (const ok of [
      'webapp:v1.1',
      'webapp',
      'localhost:5001/webapp:v1.1',
      'ghcr.io/org/team/webapp:1.2.3-rc.1',
      `webapp:v1@sha256:${'a'.repeat(64)}`,
      `registry.example.com/webapp@sha256:${'0'.repeat(64)}`,
    ])
      expect(imageReference.safeParse(ok).success, ok).toBe(true);
    for (const bad of [
      '',
      'Web App',
      'WEBAPP:v1',
      'webapp:',
      'webapp:-x',
      'webapp@sha256:abc',
      'a//b',
      '-webapp',
    ])
      expect(imageReference.safeParse(bad).success, bad).toBe(false);
  });

  it('load takes {rps, durationSeconds} or {stop: true}', () => {
    expect(loadBodySchema.safeParse({ stop: true }).success).toBe(true);
    expect(loadBodySchema.safeParse({ rps: 10, durationSeconds: 30, target: 'gateway' }).success).toBe(true);
    // The address is the configuration's: a body naming one is refused, by field.
    const withUrl = loadBodySchema.safeParse({
      rps: 10,
      durationSeconds: 30,
      url: 'http://169.254.169.254/',
    });
    expect(withUrl.success ? [] : withUrl.error.issues.flatMap((i) => ('keys' in i ? i.keys : []))).toEqual([
      'url',
    ]);
    expect(loadBodySchema.safeParse({ rps: 10, durationSeconds: 30, host: 'webapp.local' }).success).toBe(
      false,
    );
    expect(loadBodySchema.safeParse({ rps: 10, durationSeconds: 30, target: 'Not A Name' }).success).toBe(
      false,
    );
    expect(loadBodySchema.safeParse({ rps: 501, durationSeconds: 30 }).success).toBe(false);
    expect(
      loadBodySchema.safeParse({ rps: 10, durationSeconds: 30, url: 'file:///etc/passwd' }).success,
    ).toBe(false);
  });

  it('actions without a body take nothing or {}', () => {
    expect(parseActionRequest('promote', undefined)).toEqual({
      success: true,
      data: { action: 'promote', body: {} },
    });
    expect(parseActionRequest('promote', { x: 1 }).success).toBe(false);
    const f = parseActionRequest('faults', { scope: 'canary', errorRate: 0.1 });
    expect(f).toEqual({
      success: true,
      data: {
        action: 'faults',
        body: { scope: 'canary', errorRate: 0.1, latencyMs: 0, httpStatus: 503, clear: false },
      },
    });
  });
});
