/** A thin bar for "how far": `value` of `max`, with its text for screen readers. */
export function ProgressBar({
  value,
  max,
  label,
  className = 'w-20',
  tone = 'bg-progressing',
}: {
  value: number;
  max: number;
  label: string;
  className?: string;
  tone?: string;
}) {
  const pct = max > 0 ? Math.min(100, Math.max(0, (value / max) * 100)) : 0;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      className={`h-1.5 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-700 ${className}`}
    >
      <div className={`h-full ${tone}`} style={{ width: `${pct}%` }} />
    </div>
  );
}
