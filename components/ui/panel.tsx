import type { ReactNode } from 'react';

/**
 * A titled section of a page (an h2 names it for screen readers and the outline). Its own stacking context and paint
 * layer (`relative isolate`): when something in one panel changes, the browser paints that panel again and reuses
 * what it painted of the others, instead of painting the whole page.
 */
export function Panel({
  title,
  children,
  actions,
  className = '',
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
  className?: string;
}) {
  const id = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section
      aria-labelledby={id}
      className={`relative isolate rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-950 ${className}`}
    >
      <div className="mb-3 flex items-center gap-2">
        <h2 id={id} className="text-sm font-semibold tracking-tight">
          {title}
        </h2>
        {actions ? <div className="ml-auto flex items-center gap-2">{actions}</div> : null}
      </div>
      {children}
    </section>
  );
}
