import { type Tone, toneOf } from '@/lib/client/tone';

export const TONE_DOT: Record<Tone, string> = {
  healthy: 'bg-healthy',
  paused: 'bg-paused',
  degraded: 'bg-degraded',
  progressing: 'bg-progressing',
  unknown: 'bg-unknown',
};

const TONE_BADGE: Record<Tone, string> = {
  healthy: 'border-healthy/40 bg-healthy/10',
  paused: 'border-paused/50 bg-paused/10',
  degraded: 'border-degraded/40 bg-degraded/10',
  progressing: 'border-progressing/40 bg-progressing/10',
  unknown: 'border-unknown/40 bg-unknown/10',
};

/** A coloured dot with the word next to it (colour is never the only signal). */
export function StatusBadge({
  label,
  tone,
  title,
  testId,
}: {
  label: string;
  tone?: Tone;
  title?: string;
  testId?: string;
}) {
  const t = tone ?? toneOf(label);
  return (
    <span
      title={title}
      data-tone={t}
      data-testid={testId}
      className={`inline-flex items-center gap-1.5 whitespace-nowrap rounded-full border px-2 py-0.5 text-xs font-medium ${TONE_BADGE[t]}`}
    >
      <span aria-hidden="true" className={`h-2 w-2 rounded-full ${TONE_DOT[t]}`} />
      {label}
    </span>
  );
}
