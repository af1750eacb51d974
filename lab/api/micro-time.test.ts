import { describe, expect, it } from 'vitest';
import { resource } from '../store/resources';
import { StatusError } from '../store/status-error';
import type { KubeObject } from '../store/types';
import { decodeMicroTimes, parseMicroTime } from './micro-time';

const LAYOUT = '"2006-01-02T15:04:05.000000Z07:00"';

describe('parseMicroTime (Go time.Parse with RFC3339Micro)', () => {
  it.each([
    ['2026-12-03T04:05:06.123456Z', '2026-12-03T04:05:06.123456Z'],
    ['2026-12-03T04:05:06.000001+01:30', '2026-12-03T02:35:06.000001Z'],
    ['2026-12-31T23:30:00.500000-01:00', '2027-01-01T00:30:00.500000Z'],
    ['2024-02-29T00:00:00.000000Z', '2024-02-29T00:00:00.000000Z'],
    ['2026-12-03T4:05:06.123456Z', '2026-12-03T04:05:06.123456Z'],
    ['2026-12-03T04:05:06,123456Z', '2026-12-03T04:05:06.123456Z'],
    ['0001-01-01T00:00:00.000000Z', null],
  ])('%s → %s', (input, want) => {
    expect(parseMicroTime(input)).toBe(want);
  });

  it.each([
    ['2026-12-03T04:05:06.123Z', `cannot parse ".123Z" as ".000000"`],
    ['2026-12-03T04:05:06Z', `cannot parse "Z" as ".000000"`],
    ['2026-12-03T04:05:06.123456789Z', `cannot parse "789Z" as "Z07:00"`],
    ['2026-12-03 04:05:06.123456Z', `cannot parse " 04:05:06.123456Z" as "T"`],
    ['26-12-03T04:05:06.123456Z', `cannot parse "26-12-03T04:05:06.123456Z" as "2006"`],
    ['2026-12-03T04:05:06.123456z', `cannot parse "z" as "Z07:00"`],
  ])('%s is refused: %s', (input, elem) => {
    expect(() => parseMicroTime(input)).toThrow(`parsing time "${input}" as ${LAYOUT}: ${elem}`);
  });

  it.each([
    ['2026-13-03T04:05:06.123456Z', 'month out of range'],
    ['2026-02-30T04:05:06.123456Z', 'day out of range'],
    ['2026-12-03T24:05:06.123456Z', 'hour out of range'],
    ['2026-12-03T04:60:06.123456Z', 'minute out of range'],
    ['2026-12-03T04:05:60.123456Z', 'second out of range'],
  ])('%s: %s', (input, why) => {
    expect(() => parseMicroTime(input)).toThrow(`parsing time "${input}": ${why}`);
  });

  it('names trailing text', () => {
    expect(() => parseMicroTime('2026-12-03T04:05:06.123456Zx')).toThrow(
      'parsing time "2026-12-03T04:05:06.123456Zx": extra text: "x"',
    );
  });
});

describe('decodeMicroTimes', () => {
  const lease = (spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'l', namespace: 'n' },
    spec,
  });

  it('rewrites Lease times in UTC with six digits and drops null', () => {
    const o = lease({
      renewTime: '2026-12-03T05:05:06.123456+01:00',
      acquireTime: null,
      holderIdentity: 'a',
    });
    decodeMicroTimes(resource('leases'), 'v1', o);
    expect(o.spec).toEqual({ renewTime: '2026-12-03T04:05:06.123456Z', holderIdentity: 'a' });
  });

  it('answers a 400 in the API server decoder wording', () => {
    const o = lease({ renewTime: '2026-12-03T04:05:06.123Z' });
    let err: unknown;
    try {
      decodeMicroTimes(resource('leases'), 'v1', o);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).code).toBe(400);
    expect((err as StatusError).message).toBe(
      `Lease in version "v1" cannot be handled as a Lease: parsing time "2026-12-03T04:05:06.123Z" as ${LAYOUT}: cannot parse ".123Z" as ".000000"`,
    );
    expect(() => decodeMicroTimes(resource('leases'), 'v1', lease({ acquireTime: 5 }))).toThrow(
      'Lease in version "v1" cannot be handled as a Lease: json: cannot unmarshal number into Go value of type string',
    );
  });

  it('leaves other kinds alone', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, spec: { renewTime: 'x' } };
    decodeMicroTimes(resource('configmaps'), 'v1', cm);
    expect(cm.spec.renewTime).toBe('x');
  });
});
