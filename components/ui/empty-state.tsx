import type { ReactNode } from 'react';

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section
      aria-label={title}
      className="mx-auto mt-16 max-w-2xl rounded-lg border border-dashed border-zinc-300 p-8 text-zinc-700 dark:border-zinc-700 dark:text-zinc-300"
    >
      <h1 className="mb-3 text-lg font-semibold text-zinc-900 dark:text-zinc-100">{title}</h1>
      <div className="space-y-3 text-sm leading-6">{children}</div>
    </section>
  );
}
