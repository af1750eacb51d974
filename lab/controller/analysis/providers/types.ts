import type { MeasurementPhase } from '../evaluate';

export interface MeasurementOutcome {
  phase: MeasurementPhase;
  value?: string;
  message?: string;
}
