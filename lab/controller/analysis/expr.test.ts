import { describe, expect, it } from 'vitest';
import { ExprError, evaluateExpr } from './expr';

const ev = (src: string, result: unknown) => evaluateExpr(src, { result });

describe('Argo condition expressions', () => {
  it.each([
    ['result < 0.01', 0.005, true],
    ['result[0] >= 0.99', [0.995], true],
    ['result[0] >= 0.99', [0.5], false],
    ['result.verdict == "promote"', { verdict: 'promote' }, true],
    ['result == "promote"', 'promote', true],
    ["result == 'rollback'", 'promote', false],
    ['result == 1', '1', false],
    ['len(result) == 0', [], true],
    ['len(result) > 0 && result[0] < 5', [1], true],
    ['isNaN(result[0])', [Number.NaN], true],
    ['isInf(result)', Number.POSITIVE_INFINITY, true],
    ['default(result.missing, 3) == 3', {}, true],
    ['result > 1 || result < -1', 2, true],
    ['!(result > 1)', 2, false],
    ['result > 1 and not (result > 5)', 3, true],
    ['result.p95 <= 300 && result.errorRate < 0.01', { p95: 120, errorRate: 0.001 }, true],
    ['asInt(result) == 4', '4', true],
    ['result * 100 > 50', 0.6, true],
    ['result == nil', null, true],
    ['result.name == "and or not"', { name: 'and or not' }, true],
  ])('%s with %j is %s', (src, result, want) => {
    expect(ev(src, result)).toBe(want);
  });

  it.each([
    ['result.constructor', {}],
    ['result["__proto__"]', {}],
    ['result.toString()', 1],
    ['process.exit(1)', 1],
    ['globalThis', 1],
    ['require("fs")', 1],
    ['result[0]', []],
    ['result < "a"', 1],
    ['result === 1', 1],
    ['result & 1', 1],
    ['result ||', 1],
    ['this', 1],
  ])('rejects %s', (src, result) => {
    expect(() => ev(src, result)).toThrow(ExprError);
  });
});
