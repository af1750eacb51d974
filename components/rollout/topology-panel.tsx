import type { RolloutView } from '@/lib/rollout/rollout-view';
import type { RolloutTraffic, VersionRole } from '@/lib/rollout/traffic-chart';
import { Panel } from '../ui/panel';

/** What the panel shows of the view (it renders again only when these change). */
export type TopologyView = Pick<RolloutView, 'revisions' | 'canaryImage'>;
/** What it shows of the traffic: per version its service and the last minute's requests and errors. */
export type TopologyTraffic = Array<Pick<RolloutTraffic['versions'][number], 'role' | 'service' | 'recent'>>;

const ROLE_STYLE: Record<VersionRole, string> = {
  stable: 'border-stable text-stable',
  canary: 'border-canary text-canary',
};

function edgeText(edges: TopologyTraffic | undefined, role: VersionRole): { rps: string; errors: string } {
  const recent = edges?.find((v) => v.role === role)?.recent;
  if (!recent || recent.seconds <= 0) return { rps: '— rps', errors: '— errors' };
  const rps = recent.requests / recent.seconds;
  const errors = recent.requests > 0 ? (100 * recent.errors) / recent.requests : null;
  return {
    rps: `${Number(rps.toPrecision(3))} rps`,
    errors: errors === null ? '— errors' : `${Number(errors.toPrecision(2))} % errors`,
  };
}

/**
 * The live path of a request: gateway → stable / canary service → their pods, with each edge's requests per second
 * and error rate over the last minute, so the lab needs no Kiali.
 */
export function TopologyPanel({ view, edges }: { view: TopologyView; edges: TopologyTraffic | undefined }) {
  const stableRev = view.revisions.find((r) => r.isStable);
  const canaryRev = view.canaryImage ? view.revisions.find((r) => r.isCanary && !r.isStable) : undefined;
  const rows: Array<{ role: VersionRole; service: string; rev: typeof stableRev }> = [];
  for (const v of edges ?? []) {
    rows.push({ role: v.role, service: v.service, rev: v.role === 'stable' ? stableRev : canaryRev });
  }
  return (
    <Panel title="Topology (last 60 s)">
      {rows.length === 0 ? (
        <p className="text-sm text-zinc-500">No stable or canary service to draw yet.</p>
      ) : (
        <div className="flex items-stretch gap-2 text-xs" data-testid="topology">
          <div className="flex items-center">
            <div className="rounded border border-zinc-400 px-2 py-3 font-medium">gateway</div>
          </div>
          <ul className="flex flex-1 flex-col justify-center gap-3">
            {rows.map((r) => {
              const e = edgeText(edges, r.role);
              const ready = r.rev?.ready ?? 0;
              return (
                <li key={r.role} className="flex items-center gap-2" data-testid={`topology-${r.role}`}>
                  <div className="flex min-w-24 flex-col items-center text-zinc-600 dark:text-zinc-400">
                    <span className="tabular-nums">{e.rps}</span>
                    <span aria-hidden="true" className="w-full border-t border-zinc-400" />
                    <span className="tabular-nums">{e.errors}</span>
                  </div>
                  <div className={`rounded border-2 px-2 py-1 font-medium ${ROLE_STYLE[r.role]}`}>
                    {r.role} · {r.service}
                  </div>
                  <span aria-hidden="true" className="w-4 border-t border-zinc-400" />
                  <div
                    className="flex flex-wrap items-center gap-1"
                    title={r.rev ? `revision ${r.rev.revision}` : ''}
                  >
                    {Array.from({ length: Math.min(ready, 8) }, (_, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: pods are drawn as identical dots
                      <span key={i} className="inline-block h-3 w-3 rounded-full bg-zinc-400" />
                    ))}
                    <span className="tabular-nums text-zinc-600 dark:text-zinc-400">
                      {r.rev ? `${ready}/${r.rev.replicas} pods` : 'no pods'}
                    </span>
                  </div>
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </Panel>
  );
}
