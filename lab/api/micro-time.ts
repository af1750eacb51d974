import { badRequest } from '../store/status-error';
import type { KubeObject, ResourceType } from '../store/types';
import { isObj } from './validate-common';

/** apimachinery's RFC3339Micro: what `metav1.MicroTime` is parsed with and written as. */
export const RFC3339_MICRO = '2006-01-02T15:04:05.000000Z07:00';

/** Go's `quote` for an ASCII string (JSON escaping matches it for printable text). */
const quote = (s: string): string => JSON.stringify(s);
const isDigit = (s: string, i: number): boolean => /[0-9]/.test(s.charAt(i));

class ParseFailure extends Error {}

/** Go's getnum: one or two digits (exactly two when `fixed`). */
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : [Number(s[0]), s.slice(1)];
  return [Number(s.slice(0, 2)), s.slice(2)];
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

/**
 * Go's `time.Parse(RFC3339Micro, value)` step by step, with its error texts: exactly six fraction digits, `Z` or a
 * `±hh:mm` offset, nothing after. Returns the instant as the API server writes it back (UTC, six digits); `null` for
 * Go's zero time, which MicroTime marshals as null (the field is then left out).
 */
export function parseMicroTime(value: string): string | null {
  let v = value;
  const fail = (layoutElem: string, valueElem: string): never => {
    throw new ParseFailure(
      `parsing time ${quote(value)} as ${quote(RFC3339_MICRO)}: cannot parse ${quote(valueElem)} as ${quote(layoutElem)}`,
    );
  };
  const range = (what: string): never => {
    throw new ParseFailure(`parsing time ${quote(value)}: ${what} out of range`);
  };
  const skip = (lit: string) => {
    for (const c of lit) {
      if (v[0] !== c) fail(lit, v);
      v = v.slice(1);
    }
  };
  const num = (elem: string, fixed: boolean): number => {
    const r = getnum(v, fixed);
    if (!r) return fail(elem, v);
    v = r[1];
    return r[0];
  };

  if (v.length < 4 || !/^\d{4}/.test(v)) fail('2006', v);
  const year = Number(v.slice(0, 4));
  v = v.slice(4);
  skip('-');
  const month = num('01', true);
  if (month <= 0 || month > 12) range('month');
  skip('-');
  const day = num('02', true);
  skip('T');
  const hour = num('15', false);
  if (hour >= 24) range('hour');
  skip(':');
  const minute = num('04', true);
  if (minute >= 60) range('minute');
  skip(':');
  const second = num('05', true);
  if (second >= 60) range('second');
  const frac = v.slice(0, 7);
  if (frac.length < 7 || !(frac[0] === '.' || frac[0] === ',') || !/^\d{6}$/.test(frac.slice(1)))
    fail('.000000', v);
  v = v.slice(7);
  let offsetMinutes = 0;
  if (v[0] === 'Z') v = v.slice(1);
  else {
    if (v.length < 6 || v[3] !== ':') fail('Z07:00', v);
    const hh = getnum(v.slice(1, 3), true);
    const mm = getnum(v.slice(4, 6), true);
    if (!hh || !mm) fail('Z07:00', v);
    const [h, m] = [hh?.[0] ?? 0, mm?.[0] ?? 0];
    if (h > 24) range('time zone offset hour');
    if (m > 60) range('time zone offset minute');
    if (v[0] !== '+' && v[0] !== '-') fail('Z07:00', v);
    offsetMinutes = (v[0] === '-' ? -1 : 1) * (h * 60 + m);
    v = v.slice(6);
  }
  if (v.length > 0) throw new ParseFailure(`parsing time ${quote(value)}: extra text: ${quote(v)}`);
  const daysIn = month === 2 && leap(year) ? 29 : (DAYS[month - 1] ?? 31);
  if (day < 1 || day > daysIn) range('day');

  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute, second, 0);
  const utc = new Date(at.getTime() - offsetMinutes * 60_000);
  const micros = frac.slice(1);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const y = utc.getUTCFullYear();
  if (y < 0 || y > 9999) throw new ParseFailure('Time.MarshalJSON: year outside of range [0,9999]');
  const text = `${pad(y, 4)}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}T${pad(utc.getUTCHours())}:${pad(utc.getUTCMinutes())}:${pad(utc.getUTCSeconds())}.${micros}Z`;
  return text === '0001-01-01T00:00:00.000000Z' ? null : text;
}

/** The MicroTime fields of each kind the lab serves (dotted paths). */
const MICRO_TIME_FIELDS: Record<string, string[]> = {
  Lease: ['spec.acquireTime', 'spec.renewTime'],
};

/**
 * Decodes the MicroTime fields of a request body as the API server's JSON decoder does: a bad value is a 400
 * "<Kind> in version "v1" cannot be handled as a <Kind>: parsing time ..." and nothing is stored; a good one is
 * rewritten in UTC with six digits (null/zero time: the field is dropped). Mutates `obj`.
 */
export function decodeMicroTimes(rt: ResourceType, version: string, obj: KubeObject): void {
  for (const path of MICRO_TIME_FIELDS[rt.kind] ?? []) {
    const keys = path.split('.');
    const last = keys.pop() ?? '';
    let parent: unknown = obj;
    for (const k of keys) parent = isObj(parent) ? parent[k] : undefined;
    if (!isObj(parent) || !(last in parent)) continue;
    const raw = parent[last];
    try {
      if (raw === null) {
        delete parent[last];
        continue;
      }
      if (typeof raw !== 'string')
        throw new ParseFailure(`json: cannot unmarshal ${jsonType(raw)} into Go value of type string`);
      const v = parseMicroTime(raw);
      if (v === null) delete parent[last];
      else parent[last] = v;
    } catch (err) {
      if (!(err instanceof ParseFailure)) throw err;
      throw badRequest(
        `${rt.kind} in version ${quote(version)} cannot be handled as a ${rt.kind}: ${err.message}`,
      );
    }
  }
}

function jsonType(v: unknown): string {
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}
