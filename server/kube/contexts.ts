import 'server-only';
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError, controlCenterConfig } from '../config/control-center-config';
import { ApiError } from '../http/api-error';
import type { TimelineScope } from '../store/types';

/** A kube context the control center watches, and the Prometheus that holds its metrics (if not the global one). */
export interface KubeContextInfo {
  name: string;
  prometheusUrl?: string;
}

export interface KubeContexts {
  /** In the configured order; the first is the default (pages and API calls without `?context=`). */
  list: KubeContextInfo[];
  defaultName: string;
  /** More than one: the UI shows the picker and the overview's Context column. */
  several: boolean;
  /** Named in CONTROL_CENTER_CONFIG (clients switch to them); false: whatever the kubeconfig's current context is. */
  explicit: boolean;
}

/** The kubeconfig as client-node's `loadFromDefault` reads it (KUBECONFIG, ~/.kube/config or in-cluster). */
export function loadKubeConfig(context?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromDefault();
  if (context && kc.getCurrentContext() !== context) kc.setCurrentContext(context);
  return kc;
}

/**
 * The contexts from CONTROL_CENTER_CONFIG `contexts:` (each must exist in the kubeconfig: a missing one throws a
 * ConfigError naming it), or the kubeconfig's current context alone.
 */
export function resolveKubeContexts(
  configured: KubeContextInfo[] | undefined,
  kc: KubeConfig | undefined,
): KubeContexts {
  if (!configured) {
    const name = kc?.getCurrentContext() || 'default';
    return { list: [{ name }], defaultName: name, several: false, explicit: false };
  }
  const known = kc?.getContexts().map((c) => c.name) ?? [];
  configured.forEach((c, i) => {
    if (!known.includes(c.name))
      throw new ConfigError(
        `contexts.${i}.name: no context "${c.name}" in the kubeconfig (it has: ${known.join(', ') || 'none'})`,
      );
  });
  const first = configured[0] as KubeContextInfo;
  return { list: configured, defaultName: first.name, several: configured.length > 1, explicit: true };
}

/**
 * The process's context list, read from CONTROL_CENTER_CONFIG and the kubeconfig (the runtime reads it once). A
 * missing kubeconfig is no error without configured contexts: the pages say so (ClusterStatus).
 */
export function readKubeContexts(): KubeContexts {
  const configured = controlCenterConfig().contexts;
  let kc: KubeConfig | undefined;
  try {
    kc = loadKubeConfig();
  } catch (err) {
    if (configured) throw new ConfigError(`contexts: cannot read the kubeconfig: ${(err as Error).message}`);
  }
  return resolveKubeContexts(configured, kc);
}

/** The context a request names in `ctx` (`?context=`; omitted = the default); throws a 422 naming the field when unknown. */
export function resolveContextIn(ctx: KubeContexts, requested: string | undefined | null): string {
  if (requested === undefined || requested === null || requested === '') return ctx.defaultName;
  if (ctx.list.some((c) => c.name === requested)) return requested;
  const names = ctx.list.map((c) => c.name).join(', ');
  throw new ApiError(
    422,
    'invalid_input',
    `invalid query: context: unknown kube context "${requested}" (configured: ${names})`,
    [{ field: 'context', message: `unknown kube context (configured: ${names})` }],
  );
}

/** The same for a page's search parameter: unknown contexts fall back to nothing (the page says so). */
export function knownContextIn(ctx: KubeContexts, requested: string | undefined): string | undefined {
  if (!requested) return ctx.defaultName;
  return ctx.list.some((c) => c.name === requested) ? requested : undefined;
}

/** Where a context's timeline entries go: untagged with one context, by name with several (see TimelineScope). */
export function timelineScopeIn(c: KubeContexts, context?: string): TimelineScope {
  const name = context ?? c.defaultName;
  return c.several
    ? { context: name, readsUntagged: name === c.defaultName }
    : { context: '', readsUntagged: true };
}
