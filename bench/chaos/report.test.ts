import { describe, expect, it } from 'vitest';
import { type ChaosRow, exitCode, formatTable, outcomeOf } from './report';

const row = (over: Partial<ChaosRow> = {}): ChaosRow => ({
  scenario: 'lab kill -9 mid-step',
  requestsFailedByMechanics: 0,
  acknowledgedWritesLost: 0,
  wrongPromotes: 0,
  recoverySeconds: 12.5,
  decision: 'promote',
  expectedDecision: 'promote',
  outcome: 'pass',
  note: 'lab down 14.2 s',
  ...over,
});

describe('outcomeOf', () => {
  it('passes only the expected decision with nothing lost', () => {
    expect(outcomeOf(row(), true)).toBe('pass');
    expect(outcomeOf(row(), false)).toBe('fail');
    expect(outcomeOf(row({ requestsFailedByMechanics: 3 }), true)).toBe('fail');
    expect(outcomeOf(row({ acknowledgedWritesLost: 1 }), true)).toBe('fail');
    expect(outcomeOf(row({ wrongPromotes: 1 }), true)).toBe('fail');
    expect(outcomeOf(row({ decision: 'not-run' }), false)).toBe('not-run');
  });
});

describe('formatTable', () => {
  it('prints one Markdown line per row, unknown figures as -, then the notes', () => {
    const text = formatTable([
      row(),
      row({
        scenario: 'gateway worker crash',
        requestsFailedByMechanics: null,
        acknowledgedWritesLost: null,
        wrongPromotes: null,
        recoverySeconds: null,
        decision: 'not-run',
        outcome: 'not-run',
        note: 'needs the | hook',
      }),
    ]);
    const lines = text.split('\n');
    expect(lines[0]).toBe(
      '| scenario | failed by mechanics | acked writes lost | wrong promotes | recovery s | decision | expected | outcome |',
    );
    expect(lines[1]).toBe('|---|---|---|---|---|---|---|---|');
    expect(lines[2]).toBe('| lab kill -9 mid-step | 0 | 0 | 0 | 12.5 | promote | promote | pass |');
    expect(lines[3]).toBe('| gateway worker crash | - | - | - | - | not-run | promote | not-run |');
    expect(lines.slice(5)).toEqual([
      '- lab kill -9 mid-step: lab down 14.2 s',
      '- gateway worker crash: needs the | hook',
    ]);
  });
});

describe('exitCode', () => {
  it('is 0 only when every row passed', () => {
    expect(exitCode([row()])).toBe(0);
    expect(exitCode([row(), row({ outcome: 'fail' })])).toBe(1);
    expect(exitCode([row({ outcome: 'not-run' })])).toBe(1);
    expect(exitCode([])).toBe(1);
  });
});
