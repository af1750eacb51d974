import { api409, api500, apiSlow } from './api-faults';
import { baselineBad, baselineGood } from './baseline';
import { ccKill } from './cc-kill';
import { crashLoop } from './crash-loop';
import { diskFull } from './disk-full';
import { gatewayCrash } from './gateway-crash';
import { labKill } from './lab-kill';
import { prometheusStop } from './prometheus-stop';
import type { Scenario } from './types';

/** Every scenario, in the order the bench runs them; `--only` takes a name's slug (e.g. `lab-kill`). */
export const SCENARIOS: Record<string, Scenario> = {
  'baseline-good': baselineGood,
  'baseline-bad': baselineBad,
  'lab-kill': labKill,
  'cc-kill': ccKill,
  'prometheus-stop': prometheusStop,
  'gateway-crash': gatewayCrash,
  'crash-loop': crashLoop,
  'api-500': api500,
  'api-409': api409,
  'api-slow': apiSlow,
  'disk-full': diskFull,
};

export type { Scenario } from './types';
