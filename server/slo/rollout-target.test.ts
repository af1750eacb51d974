import { describe, expect, it } from 'vitest';
import { currentAttemptStart } from './rollout-target';

describe('currentAttemptStart', () => {
  it('is null while no analysis of this canary has failed (evidence spans the whole canary)', () => {
    expect(currentAttemptStart([])).toBeNull();
    expect(
      currentAttemptStart([
        { created: 1, failed: false },
        { created: 2, failed: false },
      ]),
    ).toBeNull();
  });

  it('starts at the first run after the last failed one (a retried canary starts afresh)', () => {
    const runs = [
      { created: 10, failed: false },
      { created: 20, failed: true },
      { created: 30, failed: false },
      { created: 40, failed: false },
    ];
    expect(currentAttemptStart(runs)).toBe(30);
  });

  it('keeps judging the failed attempt while nothing newer exists', () => {
    expect(
      currentAttemptStart([
        { created: 10, failed: false },
        { created: 20, failed: true },
      ]),
    ).toBe(20);
  });
});
