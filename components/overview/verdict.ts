import type { Tone } from '@/lib/client/tone';

/** The judge's verdict as people read it in a list: promote → pass, pause → inconclusive, rollback → fail. */
export function verdictLabel(verdict: string): { label: string; tone: Tone } {
  switch (verdict) {
    case 'promote':
      return { label: 'pass', tone: 'healthy' };
    case 'pause':
      return { label: 'inconclusive', tone: 'paused' };
    case 'rollback':
      return { label: 'fail', tone: 'degraded' };
    default:
      return { label: 'unknown', tone: 'unknown' };
  }
}
