export { ArgError, type CliOptions, parseArgs, parseDuration, USAGE } from './args';
export { formatProgress, formatSummary } from './format';
export {
  DEFAULT_DURATION_MS,
  DEFAULT_MAX_INFLIGHT,
  DEFAULT_TIMEOUT_MS,
  MAX_DURATION_MS,
  validateOptions,
} from './options';
export { errorOf, runLoad, versionOf } from './runner';
export { latencyStats, percentile } from './stats';
export type {
  LatencyStats,
  LoadOptions,
  Progress,
  RequestResult,
  RunHooks,
  ScheduleStats,
  Summary,
  VersionStats,
} from './types';
