import type { Scenario } from './types';

/** No fault: what a good and a bad canary do on a healthy stack (the reference for every other row). */
export const baselineGood: Scenario = {
  name: 'baseline good canary',
  kind: 'good',
  expected: 'promote',
  fault: 'none',
};

export const baselineBad: Scenario = {
  name: 'baseline bad canary (10 % errors)',
  kind: 'bad',
  expected: 'rollback',
  fault: 'none',
};
