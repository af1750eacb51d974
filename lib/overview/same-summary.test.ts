import { describe, expect, it } from 'vitest';
import { sameSummary } from './same-summary';
import { row } from './testing/rows';

describe('sameSummary', () => {
  it('tells rows apart by any field, the step by its fields', () => {
    const a = row('ns', 'a', { step: { index: 1, total: 4 } });
    expect(sameSummary(a, { ...a, step: { index: 1, total: 4 } })).toBe(true);
    expect(sameSummary(a, { ...a, step: { index: 2, total: 4 } })).toBe(false);
    expect(sameSummary(a, { ...a, phase: 'Paused' })).toBe(false);
    expect(sameSummary(a, { ...a, context: 'prod' })).toBe(false);
  });
});
