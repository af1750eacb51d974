/**
 * The colour meaning of UI.md, one place: healthy/pass/promote green, paused/inconclusive/pause yellow,
 * degraded/fail/rollback red, progressing cyan, unknown/no data grey (never green for no data).
 */
export type Tone = 'healthy' | 'paused' | 'degraded' | 'progressing' | 'unknown';

const TONES: Record<string, Tone> = {
  healthy: 'healthy',
  pass: 'healthy',
  promote: 'healthy',
  successful: 'healthy',
  succeeded: 'healthy',
  running: 'progressing',
  progressing: 'progressing',
  pending: 'unknown',
  paused: 'paused',
  pause: 'paused',
  inconclusive: 'paused',
  warning: 'paused',
  degraded: 'degraded',
  fail: 'degraded',
  failed: 'degraded',
  error: 'degraded',
  rollback: 'degraded',
  aborted: 'degraded',
};

/** The tone of a phase, status or verdict word (case-insensitive); anything unknown is grey. */
export function toneOf(word: string | null | undefined): Tone {
  return TONES[(word ?? '').toLowerCase()] ?? 'unknown';
}
