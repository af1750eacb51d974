/**
 * The ingress gateway's own object in the lab's store: the Deployment `istio-system/istio-ingressgateway` that
 * `istioctl install` / the istio/gateway Helm chart create on a real cluster (manifests/istio/). The lab's gateway is
 * not a pod, but it runs as this Deployment's pod template says, as far as the template matters to the metrics:
 * the annotation `sidecar.istio.io/statsHistogramBuckets` picks the buckets of istio_request_duration_milliseconds
 * (istio-buckets.ts).
 *
 * On a real cluster pilot-agent reads the annotation once, when the proxy starts; a change of the pod template rolls
 * the Deployment: new gateway pods (with the new buckets and counters from zero) replace the old ones, which keep
 * serving until a new one is Ready. The lab does the same with its one gateway: every change of the pod template is a
 * restart of the gateway's proxy. It emits the new buckets from the next request on and its istio_* counters and
 * histograms start again from 0 (Prometheus sees a counter reset, as with a replaced pod); in-flight requests are
 * dropped from the metrics with the old proxy. A template Envoy would refuse (a bad bucket list) leaves the running
 * gateway as it is (the new pod would crash-loop and the rollout stalls); with no running gateway (the lab starts with
 * such a template) the gateway refuses every connection until the template is fixed. Each decision is logged and
 * written to the Deployment's status (READY, UP-TO-DATE, AVAILABLE as `kubectl get deploy` shows them).
 */
import { podTemplateHash, stableStringify } from '../controller/hash';
import type { PodTemplate } from '../controller/types';
import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
import { ENVOY_DEFAULT_BUCKETS } from './envoy-histogram';
import { DURATION_STAT_NAME, durationBucketsFor, STATS_HISTOGRAM_BUCKETS_ANNOTATION } from './istio-buckets';

export const INGRESS_GATEWAY = { namespace: 'istio-system', name: 'istio-ingressgateway' } as const;

/** Envoy's default buckets plus 300 ms, so that the SLO threshold (P95 <= 300 ms) is a bucket boundary. */
export const SLO_DURATION_BUCKETS_MS: readonly number[] = Object.freeze(
  [...ENVOY_DEFAULT_BUCKETS, 300].sort((a, b) => a - b),
);

/** The annotation value the seed and manifests/istio/ put on the ingress gateway's pods. */
export const SLO_BUCKETS_ANNOTATION_VALUE = JSON.stringify({ istiocustom: SLO_DURATION_BUCKETS_MS });

/** The proxy image of the pinned Istio (manifests/versions.env ISTIO_VERSION). */
export const ISTIO_PROXY_IMAGE = 'docker.io/istio/proxyv2:1.30.3';

export type Level = 'info' | 'warn' | 'error';
export type GatewayLog = (level: Level, msg: string) => void;

/** What the gateway runs with: the duration buckets of a running proxy, or null when no gateway pod can run. */
export type ProxyConfig = { buckets: readonly number[] } | null;

const DEPLOYMENTS = resource('deployments');
const NAMESPACES = resource('namespaces');

/** Namespace istio-system and the ingress gateway's Deployment, as the lab seeds them. */
export function ingressGatewayObjects(): KubeObject[] {
  const selector = { app: 'istio-ingressgateway', istio: 'ingressgateway' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: INGRESS_GATEWAY.namespace } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: INGRESS_GATEWAY.name,
        namespace: INGRESS_GATEWAY.namespace,
        labels: { ...selector, 'istio.io/rev': 'default', 'operator.istio.io/component': 'IngressGateways' },
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: {
            labels: {
              ...selector,
              'service.istio.io/canonical-name': 'istio-ingressgateway',
              'sidecar.istio.io/inject': 'false',
            },
            annotations: {
              'prometheus.io/path': '/stats/prometheus',
              'prometheus.io/port': '15020',
              'prometheus.io/scrape': 'true',
              [STATS_HISTOGRAM_BUCKETS_ANNOTATION]: SLO_BUCKETS_ANNOTATION_VALUE,
            },
          },
          spec: {
            serviceAccountName: 'istio-ingressgateway-service-account',
            containers: [
              {
                name: 'istio-proxy',
                image: ISTIO_PROXY_IMAGE,
                args: ['proxy', 'router', '--domain', '$(POD_NAMESPACE).svc.cluster.local'],
                ports: [
                  { containerPort: 15021, name: 'status-port', protocol: 'TCP' },
                  { containerPort: 8080, name: 'http2', protocol: 'TCP' },
                  { containerPort: 8443, name: 'https', protocol: 'TCP' },
                  { containerPort: 15090, name: 'http-envoy-prom', protocol: 'TCP' },
                ],
              },
            ],
          },
        },
      },
    },
  ];
}

/**
 * Creates what is missing of `ingressGatewayObjects()` (what `istioctl install` leaves on a real cluster). An existing
 * Deployment is kept as it is: an edited annotation survives a restart of the lab. Returns the names it created.
 */
export function seedIngressGateway(store: LabStore): string[] {
  const created: string[] = [];
  for (const o of ingressGatewayObjects()) {
    const rt = o.kind === 'Namespace' ? NAMESPACES : DEPLOYMENTS;
    if (store.get(rt, o.metadata.namespace, o.metadata.name ?? '')) continue;
    store.create(rt, o);
    created.push(`${o.kind.toLowerCase()}/${o.metadata.name}`);
  }
  return created;
}

type State = 'current' | 'stuck' | 'down';

/**
 * Watches the ingress gateway's Deployment and tells `apply` what the gateway must run with after each change of its
 * pod template (see the file comment). `initial` is the configuration before any change: what the lab starts with.
 */
export function watchIngressGateway(
  store: LabStore,
  log: GatewayLog,
  apply: (config: ProxyConfig) => void,
): { initial: ProxyConfig; podReady(ready: boolean): void; stop(): void } {
  let started = false;
  /** The gateway's process is down (crashed, restarting): its pod is not Ready though its template is current. */
  let crashed = false;
  let templateKey: string | undefined;
  let generation: number | undefined;
  /** The template of the running proxy (its key) and its buckets; null when none runs. */
  let serving: { key: string; buckets: readonly number[] } | null = null;
  let state: State = 'current';
  let stopped = false;
  const where = `${INGRESS_GATEWAY.namespace}/${INGRESS_GATEWAY.name}`;

  const evaluate = (obj: KubeObject | undefined) => {
    const template = obj ? ((obj.spec as { template?: PodTemplate } | undefined)?.template ?? {}) : undefined;
    const key = template ? stableStringify(template) : '';
    if (key === templateKey) {
      if (obj && template && obj.metadata.generation !== generation) {
        generation = obj.metadata.generation;
        writeStatus(obj, template);
      }
      return;
    }
    const before = templateKey;
    templateKey = key;
    generation = obj?.metadata.generation;
    if (serving && key === serving.key) {
      // back to the template of the running proxy (an undo of a stuck rollout): the old pod simply stays
      state = 'current';
      log(
        'info',
        `${where}: the pod template is the running gateway's again; the stuck rollout is over, nothing restarts`,
      );
      if (obj && template) writeStatus(obj, template);
      return;
    }
    const annotation = template?.metadata?.annotations?.[STATS_HISTOGRAM_BUCKETS_ANNOTATION];
    const decided = durationBucketsFor(annotation);
    for (const w of decided.warnings) log('warn', `${where}: ${w}`);
    if (decided.ok) {
      const restart = started && serving !== null;
      serving = { key, buckets: decided.buckets };
      state = 'current';
      const from = decided.prefix
        ? `${STATS_HISTOGRAM_BUCKETS_ANNOTATION} key ${JSON.stringify(decided.prefix)}`
        : "Envoy's defaults";
      const what = !obj
        ? `Deployment ${where} deleted: the lab's gateway goes on (it is not a pod) with Envoy's defaults`
        : before === undefined
          ? `Deployment ${where}`
          : before === ''
            ? `Deployment ${where} created`
            : `${where} pod template changed`;
      if (obj || started)
        log(
          'info',
          `${what}: the gateway's proxy ${restart ? 'restarts (as a new istio-proxy pod: its istio_* counters and histograms start again from 0)' : 'starts'}; ${DURATION_STAT_NAME} buckets ${JSON.stringify(decided.buckets)} (${from})`,
        );
      if (started) apply({ buckets: decided.buckets });
    } else if (serving) {
      state = 'stuck';
      log(
        'error',
        `${where}: ${decided.error}. The new gateway pod would crash-loop, so the running one keeps serving with buckets ${JSON.stringify(serving.buckets)} (the rollout is stuck until the annotation is fixed)`,
      );
    } else {
      state = 'down';
      log(
        'error',
        `${where}: ${decided.error}. No gateway pod can start: the lab's gateway refuses every connection until the annotation is fixed`,
      );
      if (started) apply(null);
    }
    if (obj && template) writeStatus(obj, template);
  };

  /** The Deployment's status as the Deployment controller would write it for this state (one gateway replica). */
  const writeStatus = (obj: KubeObject, template: PodTemplate) => {
    const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const rs = `${INGRESS_GATEWAY.name}-${podTemplateHash(template)}`;
    const available = state !== 'down' && !crashed;
    const condition = (type: string, status: string, reason: string, message: string) => ({
      type,
      status,
      lastUpdateTime: at,
      lastTransitionTime: at,
      reason,
      message,
    });
    const status = {
      observedGeneration: obj.metadata.generation,
      replicas: state === 'stuck' ? 2 : 1,
      updatedReplicas: 1,
      ...(available ? { readyReplicas: 1, availableReplicas: 1 } : {}),
      ...(state === 'current' && !crashed ? {} : { unavailableReplicas: 1 }),
      conditions: [
        available
          ? condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
          : condition(
              'Available',
              'False',
              'MinimumReplicasUnavailable',
              'Deployment does not have minimum availability.',
            ),
        state === 'current'
          ? condition(
              'Progressing',
              'True',
              'NewReplicaSetAvailable',
              `ReplicaSet "${rs}" has successfully progressed.`,
            )
          : condition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rs}" is progressing.`),
      ],
    };
    const uid = obj.metadata.uid;
    // after the write that reported this change has finished notifying its watchers
    setImmediate(() => {
      if (stopped) return;
      try {
        const cur = store.get(DEPLOYMENTS, INGRESS_GATEWAY.namespace, INGRESS_GATEWAY.name);
        if (!cur || cur.metadata.uid !== uid) return;
        const keep = (c: { type: string; status: string; lastTransitionTime: string }) => {
          const old = ((cur.status as { conditions?: (typeof c)[] } | undefined)?.conditions ?? []).find(
            (o) => o.type === c.type,
          );
          return old && old.status === c.status ? { ...c, lastTransitionTime: old.lastTransitionTime } : c;
        };
        store.update(
          DEPLOYMENTS,
          { ...cur, status: { ...status, conditions: status.conditions.map(keep) } },
          { subresource: 'status' },
        );
      } catch (err) {
        log(
          'warn',
          `could not write the status of the ingress gateway's Deployment: ${(err as Error).message}`,
        );
      }
    });
  };

  const unwatch = store.watch(
    DEPLOYMENTS,
    { namespace: INGRESS_GATEWAY.namespace, fieldSelector: `metadata.name=${INGRESS_GATEWAY.name}` },
    (ev) => evaluate(ev.type === 'DELETED' ? undefined : ev.object),
  );
  if (templateKey === undefined) evaluate(undefined); // no Deployment: Envoy's defaults
  started = true;
  const running = serving as { buckets: readonly number[] } | null; // set by the watch's first events above
  return {
    initial: running ? { buckets: running.buckets } : null,
    /**
     * The gateway's process crashed (false) or is up again (true): as a container restart in the one gateway pod, the
     * Deployment reads READY 0/1 (Available False) until it serves again, then 1/1; its template stays current.
     */
    podReady(ready: boolean) {
      if (crashed === !ready) return;
      crashed = !ready;
      const cur = store.get(DEPLOYMENTS, INGRESS_GATEWAY.namespace, INGRESS_GATEWAY.name);
      const template = (cur?.spec as { template?: PodTemplate } | undefined)?.template;
      if (cur && template) writeStatus(cur, template);
    },
    stop() {
      stopped = true;
      unwatch();
    },
  };
}
