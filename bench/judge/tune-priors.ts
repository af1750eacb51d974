/**
 * Prior tuning for the one-sided binomial e-processes (not part of the bench table).
 * Usage: npx tsx bench/judge/tune-priors.ts
 * For each candidate design: median samples to cross for a few alternatives, versus Wald's SPRT ASN.
 */
import {
  DEFAULT_BINOMIAL_DESIGN,
  LATENCY_BINOMIAL_DESIGN,
  logEValue,
  type SideDesign,
} from '../../lib/slo/binomial-eprocess';
import { DEFAULT_JUDGE_CONFIG, rollbackAlphas } from '../../lib/slo/config';
import { mulberry32 } from '../../lib/slo/prng';
import { waldExpectedSamples } from '../../lib/slo/sprt';

const RUNS = 300;
const STEP = 5;
const HORIZON = 60_000;

function medianCrossing(
  design: SideDesign,
  side: 'up' | 'down',
  p0: number,
  p: number,
  logThreshold: number,
) {
  const rng = mulberry32(12345);
  const hits: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    let k = 0;
    let hit = HORIZON;
    for (let n = 1; n <= HORIZON; n++) {
      if (rng() < p) k++;
      if (n % STEP === 0 && logEValue(k, n, p0, design, side) >= logThreshold) {
        hit = n;
        break;
      }
    }
    hits.push(hit);
  }
  hits.sort((x, y) => x - y);
  return hits[Math.floor(RUNS / 2)] ?? HORIZON;
}

const upCandidates: Record<string, SideDesign> = {
  'mix mean3 a2': { priorA: 2, meanMultiple: 3, mixtureWeight: 1, sprt: [] },
  'mix mean3 a1': { priorA: 1, meanMultiple: 3, mixtureWeight: 1, sprt: [] },
  'mix mean2 a4': { priorA: 4, meanMultiple: 2, mixtureWeight: 1, sprt: [] },
  'mix.5+sprt2,5 (latency)': LATENCY_BINOMIAL_DESIGN.up,
  'mix.1+sprt2,5 (errors)': DEFAULT_BINOMIAL_DESIGN.up,
  'sprt2,5 only': {
    priorA: 2,
    meanMultiple: 3,
    mixtureWeight: 0,
    sprt: [
      { multiple: 2, weight: 0.5 },
      { multiple: 5, weight: 0.5 },
    ],
  },
};
const downCandidates: Record<string, SideDesign> = {
  'mix mean.3 a1': { priorA: 1, meanMultiple: 0.3, mixtureWeight: 1, sprt: [] },
  'mix mean.2 a1': { priorA: 1, meanMultiple: 0.2, mixtureWeight: 1, sprt: [] },
  'mix mean.5 a1': { priorA: 1, meanMultiple: 0.5, mixtureWeight: 1, sprt: [] },
  'mix mean.3 a.5': { priorA: 0.5, meanMultiple: 0.3, mixtureWeight: 1, sprt: [] },
  'mix.5+sprt.2': {
    priorA: 1,
    meanMultiple: 0.3,
    mixtureWeight: 0.5,
    sprt: [{ multiple: 0.2, weight: 0.5 }],
  },
};

const alphaUp = rollbackAlphas(DEFAULT_JUDGE_CONFIG).errors;
const alphaDown = 0.05;
for (const p0 of [0.01, 0.05]) {
  console.log(`\np0=${p0}  E↑ threshold ln(1/${alphaUp.toFixed(4)}); E↓ threshold ln(1/${alphaDown})`);
  for (const [name, d] of Object.entries(upCandidates)) {
    const cells = [1.5, 2, 5, 20].map((m) => {
      const n = medianCrossing(d, 'up', p0, Math.min(m * p0, 1), Math.log(1 / alphaUp));
      return `${m}x: ${n} (${(n / waldExpectedSamples(p0, Math.min(m * p0, 0.999), 0.01)).toFixed(2)})`;
    });
    console.log(`  up   ${name.padEnd(16)} ${cells.join('  ')}`);
  }
  for (const [name, d] of Object.entries(downCandidates)) {
    const cells = [0.1, 0.2, 0.5].map((m) => {
      const n = medianCrossing(d, 'down', p0, m * p0, Math.log(1 / alphaDown));
      return `${m}x: ${n} (${(n / waldExpectedSamples(p0, m * p0, 0.05)).toFixed(2)})`;
    });
    console.log(`  down ${name.padEnd(16)} ${cells.join('  ')}`);
  }
}
