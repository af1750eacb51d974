import { Panel } from './panel';

/** A panel's title over a pulsing block, while the panel's code loads (it is not part of the page's first load). */
export function PanelSkeleton({ title, className }: { title: string; className?: string }) {
  return (
    <Panel title={title} className={className}>
      <div aria-busy="true" className="h-24 animate-pulse rounded bg-zinc-100 dark:bg-zinc-900" />
    </Panel>
  );
}
