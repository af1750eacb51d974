/** Stable (blue) and canary (amber) shares of traffic, labelled in text as well. */
export function WeightBar({ canary, className = 'h-3' }: { canary: number; className?: string }) {
  const c = Math.min(100, Math.max(0, canary));
  return (
    <div>
      <div
        role="img"
        aria-label={`stable ${100 - c} %, canary ${c} %`}
        className={`flex overflow-hidden rounded ${className}`}
      >
        <div className="bg-stable" style={{ width: `${100 - c}%` }} />
        <div className="bg-canary" style={{ width: `${c}%` }} />
      </div>
      <div className="mt-1 flex justify-between text-xs text-zinc-600 dark:text-zinc-400">
        <span>
          <span aria-hidden="true" className="mr-1 inline-block h-2 w-2 rounded-sm bg-stable" />
          stable {100 - c} %
        </span>
        <span>
          canary {c} %
          <span aria-hidden="true" className="ml-1 inline-block h-2 w-2 rounded-sm bg-canary" />
        </span>
      </div>
    </div>
  );
}
