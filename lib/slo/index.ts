/**
 * SLO judge: anytime-valid PROMOTE / PAUSE / ROLLBACK decisions for canary releases (pure; no I/O, no clock).
 */
export {
  type BetaPrior,
  type BinomialDesign,
  type BinomialEvidence,
  binomialEvidence,
  DEFAULT_BINOMIAL_DESIGN,
  LATENCY_BINOMIAL_DESIGN,
  logBetaBinomialMixture,
  logEValue,
  logSprt,
  logSumExp,
  priorFor,
  type Side,
  type SideDesign,
} from './binomial-eprocess';
export { DEFAULT_JUDGE_CONFIG, resolveConfig, rollbackAlphas } from './config';
export { burstiness, temperings } from './dispersion';
export { histogramQuantile, histogramTotal, quantileInterval, type SlowCount, slowCount } from './histogram';
export {
  clopperPearsonInterval,
  clopperPearsonUpper,
  type Interval,
  normalQuantile,
  wilsonInterval,
} from './intervals';
export { type JudgeOptions, judge } from './judge';
export { type Phases, phasesOf } from './phases';
export {
  betaCdf,
  betaSf,
  binomialCdf,
  binomialQuantile,
  binomialSf,
  logBeta,
  logGamma,
  logRegIncBeta,
  regIncBeta,
  regIncBetaInv,
} from './primitives';
export { binomial as sampleBinomial, mulberry32, normal as sampleNormal, type Rng } from './prng';
export {
  DEFAULT_THETAS,
  logRelativeEValue,
  logWindowRatio,
  type RelativeWindow,
  rateRatio,
  type ThetaComponent,
} from './relative-test';
export { binomialKl, waldExpectedSamples } from './sprt';
export type {
  AttemptPhases,
  DecisionEta,
  Evidence,
  JudgeConfig,
  JudgeInput,
  LatencyBucket,
  SloResult,
  SloStatus,
  StepEvidence,
  Verdict,
  VerdictKind,
  VersionSample,
} from './types';
