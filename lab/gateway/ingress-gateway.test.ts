import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadValidators, validateObject } from '../api';
import { columnsFor } from '../api/table-columns';
import { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { KubeObject } from '../store/types';
import { sumRequests } from '../workloads/testing/gateway-metrics';
import { httpGet, tempDir, waitFor } from '../workloads/testing/lab-fixtures';
import { ENVOY_DEFAULT_BUCKETS } from './envoy-histogram';
import { type Gateway, startGateway } from './index';
import {
  INGRESS_GATEWAY,
  ingressGatewayObjects,
  type Level,
  SLO_DURATION_BUCKETS_MS,
  seedIngressGateway,
} from './ingress-gateway';
import { STATS_HISTOGRAM_BUCKETS_ANNOTATION } from './istio-buckets';

const DEPLOYMENTS = resource('deployments');
const le = (bounds: readonly number[]) => [...bounds.map(String), '+Inf'];

/** The `le` values printed for the first series of istio_request_duration_milliseconds. */
function printedLe(text: string): string[] {
  const first = /^istio_request_duration_milliseconds_bucket\{(.*),le="[^"]+"\} \d+$/m.exec(text)?.[1];
  return [...text.matchAll(/^istio_request_duration_milliseconds_bucket\{(.*),le="([^"]+)"\} \d+$/gm)]
    .filter((m) => m[1] === first)
    .map((m) => m[2] ?? '');
}

interface Status {
  observedGeneration?: number;
  replicas?: number;
  readyReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Array<{ type: string; status: string; reason: string }>;
}

describe("the ingress gateway's Deployment sets the lab gateway's duration buckets", () => {
  let dir = '';
  let store: LabStore;
  let gw: Gateway;
  const logs: Array<[Level, string]> = [];
  const hit = () => httpGet(`${gw.url}/nothing`, { host: 'nothing.local' }); // 404 NR: a series all the same
  const total = async () => sumRequests(await gw.metricsText());
  const deployment = () =>
    store.get(DEPLOYMENTS, INGRESS_GATEWAY.namespace, INGRESS_GATEWAY.name) as KubeObject;
  const annotate = (value: string) =>
    store.mutate(DEPLOYMENTS, INGRESS_GATEWAY.namespace, INGRESS_GATEWAY.name, (d) => {
      const spec = d.spec as { template: { metadata: { annotations: Record<string, string> } } };
      spec.template.metadata.annotations[STATS_HISTOGRAM_BUCKETS_ANNOTATION] = value;
      return d;
    });
  /** After a restart of the gateway's proxy its metrics are empty: then one request, and what it printed. */
  const afterRestart = async () => {
    await waitFor('the restarted proxy', async () => (await total()) === 0);
    await hit();
    expect(await total()).toBe(1);
    return printedLe(await gw.metricsText());
  };
  const logged = (level: Level, re: RegExp) => logs.some(([l, m]) => l === level && re.test(m));

  beforeAll(async () => {
    await loadValidators();
    dir = tempDir('lab-ingress-gateway');
    store = new LabStore({ file: path.join(dir, 'lab.db'), validate: validateObject });
    gw = await startGateway({ store, port: 0, log: (level, msg) => logs.push([level, msg]) });
  });
  afterAll(async () => {
    await gw?.stop();
    store?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("without the Deployment: exactly Envoy's default buckets", async () => {
    await hit();
    expect(printedLe(await gw.metricsText())).toEqual(le(ENVOY_DEFAULT_BUCKETS));
    expect(logs).toEqual([]);
  });

  it('the seed (valid for the API server) adds 300 ms; the status reads 1/1 as kubectl shows it', async () => {
    expect(seedIngressGateway(store)).toEqual(['namespace/istio-system', 'deployment/istio-ingressgateway']);
    expect(seedIngressGateway(store)).toEqual([]);
    expect(await afterRestart()).toEqual(le(SLO_DURATION_BUCKETS_MS));
    expect(le(SLO_DURATION_BUCKETS_MS)).toContain('300');
    expect(logged('info', /created: the gateway's proxy restarts .* buckets \[0\.5,.*250,300,500,/)).toBe(
      true,
    );
    const status = await waitFor('status', () => (deployment().status as Status | undefined)?.readyReplicas);
    expect(status).toBe(1);
    expect(deployment().status).toMatchObject({
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      availableReplicas: 1,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
      ],
    });
    const cells = columnsFor('Deployment').map((c) => [c.name, c.cell(deployment())]);
    expect(cells.slice(0, 4)).toEqual([
      ['Name', 'istio-ingressgateway'],
      ['Ready', '1/1'],
      ['Up-to-date', 1],
      ['Available', 1],
    ]);
  });

  it('a change of the annotation restarts the proxy with the new buckets (counters from 0)', async () => {
    annotate('{"istiocustom":[300,100,200]}');
    expect(await afterRestart()).toEqual(['100', '200', '300', '+Inf']);
    expect(logged('info', /pod template changed: the gateway's proxy restarts/)).toBe(true);
  });

  it("not JSON: pilot-agent's warning in the lab's log, and Envoy's defaults", async () => {
    annotate('{"istiocustom":[1,5,300');
    expect(await afterRestart()).toEqual(le(ENVOY_DEFAULT_BUCKETS));
    expect(logged('warn', /Failed to unmarshal histogram buckets \{"istiocustom":\[1,5,300: /)).toBe(true);
  });

  it("a key that matches no istio_* stat: Envoy's defaults, and the lab says so", async () => {
    annotate('{"istio_requests":[300]}');
    expect(await afterRestart()).toEqual(le(ENVOY_DEFAULT_BUCKETS));
    expect(logged('warn', /no key \("istio_requests"\) is a prefix of istiocustom/)).toBe(true);
  });

  it('a negative bucket: Envoy would not start, so the running gateway stays as it was (stuck rollout)', async () => {
    const before = deployment();
    annotate('{"istiocustom":[-1,300]}');
    await waitFor('the error', () => logged('error', /Envoy rejects the bootstrap.*greater than 0/));
    expect(logged('error', /the running one keeps serving with buckets \[0\.5,1,5/)).toBe(true);
    await hit(); // same proxy: its counter goes on
    expect(await total()).toBe(2);
    expect(printedLe(await gw.metricsText())).toEqual(le(ENVOY_DEFAULT_BUCKETS));
    await waitFor('stuck status', () => (deployment().status as Status).replicas === 2);
    expect(deployment().status).toMatchObject({
      replicas: 2,
      readyReplicas: 1,
      unavailableReplicas: 1,
      conditions: [
        { type: 'Available', status: 'True' },
        { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
      ],
    });
    // undo: back to the running gateway's template, nothing restarts
    store.mutate(DEPLOYMENTS, INGRESS_GATEWAY.namespace, INGRESS_GATEWAY.name, (d) => ({
      ...d,
      spec: before.spec,
    }));
    await waitFor('back', () => (deployment().status as Status).replicas === 1);
    await hit();
    expect(await total()).toBe(3);
  });

  it("deleting the Deployment leaves the gateway running, with Envoy's defaults", async () => {
    annotate('{"istiocustom":[250,300]}');
    expect(await afterRestart()).toEqual(['250', '300', '+Inf']);
    store.delete(DEPLOYMENTS, INGRESS_GATEWAY.namespace, INGRESS_GATEWAY.name);
    expect(await afterRestart()).toEqual(le(ENVOY_DEFAULT_BUCKETS));
  });
});

describe('a lab started with a bucket list Envoy refuses', () => {
  it('refuses every connection until the annotation is fixed', async () => {
    const dir = tempDir('lab-ingress-down');
    const store = new LabStore({ file: path.join(dir, 'lab.db') });
    const logs: Array<[Level, string]> = [];
    for (const o of ingressGatewayObjects()) {
      if (o.kind === 'Deployment') {
        const spec = o.spec as { template: { metadata: { annotations: Record<string, string> } } };
        spec.template.metadata.annotations[STATS_HISTOGRAM_BUCKETS_ANNOTATION] = '{"istiocustom":[5,5]}';
      }
      store.create(resource(o.kind === 'Namespace' ? 'namespaces' : 'deployments'), o);
    }
    const gw = await startGateway({ store, port: 0, log: (level, msg) => logs.push([level, msg]) });
    try {
      expect(logs).toEqual([['error', expect.stringMatching(/repeated value.*No gateway pod can start/)]]);
      await expect(httpGet(`${gw.url}/`, { host: 'webapp.local' })).rejects.toThrow();
      expect(await gw.metricsText()).toBe('');
      await waitFor(
        'down status',
        () =>
          (store.get(DEPLOYMENTS, 'istio-system', 'istio-ingressgateway')?.status as Status | undefined)
            ?.unavailableReplicas === 1,
      );
      expect(store.get(DEPLOYMENTS, 'istio-system', 'istio-ingressgateway')?.status).toMatchObject({
        conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }, {}],
      });
      store.mutate(DEPLOYMENTS, 'istio-system', 'istio-ingressgateway', (d) => {
        const spec = d.spec as { template: { metadata: { annotations: Record<string, string> } } };
        spec.template.metadata.annotations[STATS_HISTOGRAM_BUCKETS_ANNOTATION] = '{"istiocustom":[5,300]}';
        return d;
      });
      const r = await waitFor('the gateway up', () =>
        httpGet(`${gw.url}/`, { host: 'nothing.local' }).catch(() => undefined),
      );
      expect(r.status).toBe(404);
      expect(printedLe(await gw.metricsText())).toEqual(['5', '300', '+Inf']);
    } finally {
      await gw.stop();
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
