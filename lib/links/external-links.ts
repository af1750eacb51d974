import type { LinksConfig } from '../schemas/control-center-config';

export interface ExternalLink {
  id: 'argocd' | 'rollouts' | 'grafana' | 'kiali' | 'prometheus';
  label: string;
  href: string;
}

export interface LinkTarget {
  namespace: string;
  rollout: string;
  /** Argo CD application name (default: the rollout's name). */
  application?: string;
  /** The canary's time window, unix milliseconds; `to` absent = now. */
  from?: number;
  to?: number;
}

const join = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;
const enc = encodeURIComponent;

/** Links to the tools platform engineers already use, for one rollout (pure: no I/O). */
export function externalLinks(cfg: LinksConfig, t: LinkTarget): ExternalLink[] {
  const grafana = new URLSearchParams({ 'var-namespace': t.namespace, 'var-rollout': t.rollout });
  if (t.from !== undefined) grafana.set('from', String(Math.floor(t.from)));
  grafana.set('to', t.to !== undefined ? String(Math.floor(t.to)) : 'now');
  const expr = `sum by (destination_service_name) (rate(istio_requests_total{reporter="source",destination_service_namespace="${t.namespace}"}[1m]))`;
  return [
    {
      id: 'argocd',
      label: 'Argo CD',
      href: join(
        cfg.argocd.url,
        `/applications/${enc(cfg.argocd.appNamespace)}/${enc(t.application ?? t.rollout)}`,
      ),
    },
    {
      id: 'rollouts',
      label: 'Rollouts',
      href: join(cfg.rollouts.url, `/rollouts/rollout/${enc(t.namespace)}/${enc(t.rollout)}`),
    },
    {
      id: 'grafana',
      label: 'Grafana',
      href: join(cfg.grafana.url, `/d/${enc(cfg.grafana.dashboardUid)}?${grafana}`),
    },
    {
      id: 'kiali',
      label: 'Kiali',
      href: join(
        cfg.kiali.url,
        `/kiali/console/graph/namespaces/?namespaces=${enc(t.namespace)}&graphType=versionedApp`,
      ),
    },
    {
      id: 'prometheus',
      label: 'Prometheus',
      href: join(cfg.prometheus.url, `/graph?g0.expr=${enc(expr)}&g0.tab=0`),
    },
  ];
}
