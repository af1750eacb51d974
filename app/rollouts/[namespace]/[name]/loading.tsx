/** The rollout page's skeleton while the server reads the cache. */
export default function Loading() {
  const block = 'animate-pulse rounded-lg bg-zinc-200 dark:bg-zinc-800';
  return (
    <section aria-busy="true" aria-label="Loading the rollout" className="space-y-4">
      <div className={`${block} h-8 w-80`} />
      <div className={`${block} h-5 w-96`} />
      <div className={`${block} h-9 w-full`} />
      <div className="grid gap-4 lg:grid-cols-[18rem_1fr]">
        <div className={`${block} h-64`} />
        <div className="space-y-4">
          <div className={`${block} h-28`} />
          <div className={`${block} h-32`} />
        </div>
      </div>
      <span className="sr-only">Loading…</span>
    </section>
  );
}
