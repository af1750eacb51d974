/**
 * Every manifest of the real-cluster path renders offline with the real `kubectl kustomize` and validates against the
 * upstream CRD schemas at the pinned tags (testdata/crds/: Argo Rollouts, Argo CD, Istio) and the OpenAPI schemas of
 * @kubernetes-models (core, IstioOperator); plus the wiring between the pieces.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  durationBucketsFor,
  ENVOY_DEFAULT_BUCKETS,
  ingressGatewayObjects,
  SLO_BUCKETS_ANNOTATION_VALUE,
  STATS_HISTOGRAM_BUCKETS_ANNOTATION,
} from '@control-center/lab/testing';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { controlCenterConfigSchema } from '@/lib/schemas/control-center-config';
import { CRD_DIR, CRD_SOURCES, schemaFile } from './crd-schemas';
import { crdErrors, hasCrdSchema } from './crd-validate';
import {
  find,
  type KubeObject,
  kustomize,
  MANIFESTS,
  parseDocs,
  pinnedVersions,
  ROOT,
  readDocs,
  validateObject,
} from './manifests-helpers';

const KUSTOMIZATIONS = [
  'manifests/demo/base',
  'manifests/demo/lab',
  'manifests/demo/kind',
  'manifests/control-center',
  'manifests/kind',
  'manifests/kind-sqlite',
  'manifests/observability',
  'manifests/argocd',
  'manifests/app-fast',
];

const rendered = new Map<string, KubeObject[]>(KUSTOMIZATIONS.map((k) => [k, kustomize(k)]));
const render = (k: string): KubeObject[] => rendered.get(k) ?? [];

// biome-ignore lint/suspicious/noExplicitAny: test-local, reaching into rendered YAML checked by the assertions
type Any = Record<string, any>;

describe('kustomize renders every overlay offline and each object validates against its schema', () => {
  it.each(KUSTOMIZATIONS)('%s', async (k) => {
    const objs = render(k);
    expect(objs.length).toBeGreaterThan(0);
    for (const o of objs) {
      if (hasCrdSchema(o.apiVersion, o.kind)) {
        expect(crdErrors(o), `${o.kind} ${o.metadata.name} against its CRD`).toEqual([]);
      }
      if (o.kind === 'Application') continue; // no @kubernetes-models model for Argo CD: its CRD schema above
      await validateObject(o);
    }
  });

  it('the CRD schemas are those of the pinned releases (manifests/versions.env)', () => {
    const pins = pinnedVersions();
    const files = readdirSync(CRD_DIR).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(CRD_SOURCES.flatMap((s) => s.kinds).length);
    for (const f of files) {
      const { $comment, apiVersion, kind } = JSON.parse(readFileSync(path.join(CRD_DIR, f), 'utf8')) as Any;
      const [repo, tag, file] = String($comment).split(/[ :]/);
      const src = CRD_SOURCES.find((s) => s.repo === repo && s.path === file);
      expect(src?.kinds.map((k) => k.kind)).toContain(kind);
      expect(tag).toBe(pins[src?.pin ?? '']);
      expect(f).toBe(path.basename(schemaFile(apiVersion, kind)));
    }
  });

  it('the CRD schemas refuse what kubectl apply would refuse: a wrong type, an unknown field', () => {
    const ro = structuredClone(find(render('manifests/demo/kind'), 'Rollout', 'webapp')) as Any;
    ro.spec.strategy.canary.steps[0] = { setWeight: 'ten' };
    expect(crdErrors(ro as KubeObject)).toContainEqual(
      expect.stringMatching(/steps\/0\/setWeight: must be integer/),
    );
    // an unknown key in a step: @kubernetes-models lets it through, the CRD (and kubectl's strict validation) do not
    ro.spec.strategy.canary.steps[0] = { setWeight: 10, pauze: {} };
    expect(crdErrors(ro as KubeObject)).toContainEqual(
      expect.stringMatching(/steps\/0: must NOT have additional properties \(pauze\)/),
    );
    const app = structuredClone(find(render('manifests/argocd'), 'Application', 'webapp')) as Any;
    app.spec.syncPolicy.automated.selfHeel = true;
    expect(crdErrors(app as KubeObject)).toContainEqual(expect.stringMatching(/selfHeel/));
    const vs = structuredClone(find(render('manifests/demo/kind'), 'VirtualService', 'webapp')) as Any;
    vs.spec.http[0].route[0].weight = 'heavy';
    expect(crdErrors(vs as KubeObject)).toContainEqual(expect.stringMatching(/weight: must be integer/));
  });

  it('the standalone files validate too (IstioOperator, the Secret template, the registry ConfigMap)', async () => {
    for (const f of [
      'manifests/istio/istio-operator.yaml',
      'manifests/control-center/secret.template.yaml',
      'manifests/kind/local-registry-hosting.yaml',
    ]) {
      for (const o of readDocs(f)) await validateObject(o);
    }
  });

  it('a wrong field is rejected (the validation is real)', async () => {
    const ro = structuredClone(find(render('manifests/demo/kind'), 'Rollout', 'webapp')) as Any;
    ro.spec.replicas = 'two';
    await expect(validateObject(ro as KubeObject)).rejects.toThrow(/Rollout demo\/webapp/);
    const vs = structuredClone(find(render('manifests/demo/kind'), 'VirtualService', 'webapp')) as Any;
    vs.spec.http[0].route[0].weight = 'heavy';
    await expect(validateObject(vs as KubeObject)).rejects.toThrow(/VirtualService/);
  });
});

describe('the lab and kind overlays of the demo app', () => {
  it('the lab overlay is exactly manifests/app/ (the files the lab applies, not copies)', () => {
    const files = [
      '00-namespace.yaml',
      '10-faults-configmap.yaml',
      '20-services.yaml',
      '30-gateway.yaml',
      '31-virtualservice.yaml',
      '32-destinationrule.yaml',
      '40-analysistemplate-prometheus.yaml',
      '41-analysistemplate-judge.yaml',
      '50-rollout.yaml',
    ];
    const raw = files.flatMap((f) => readDocs(`manifests/app/${f}`));
    const key = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
    const sort = (xs: KubeObject[]) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sort(render('manifests/demo/lab'))).toEqual(sort(raw));
  });

  it('kind: images from the local registry, in-cluster judge and Prometheus, webapp metrics scraped', () => {
    const objs = render('manifests/demo/kind');
    const ro = find(objs, 'Rollout', 'webapp') as Any;
    expect(ro.spec.template.spec.containers[0].image).toBe('localhost:5001/webapp:v1.0');
    expect(ro.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '8080',
      'prometheus.io/path': '/metrics',
    });
    expect(ro.spec.strategy.canary.trafficRouting.istio.virtualService).toEqual({
      name: 'webapp',
      routes: ['primary'],
    });
    const judge = find(objs, 'AnalysisTemplate', 'webapp-slo-judge') as Any;
    const arg = (t: Any, name: string) => t.spec.args.find((a: Any) => a.name === name);
    expect(arg(judge, 'judge-url').value).toBe('http://control-center.control-center.svc.cluster.local:3300');
    expect(arg(judge, 'judge-token').valueFrom.secretKeyRef).toEqual({
      name: 'control-center-judge',
      key: 'token',
    });
    const prom = find(objs, 'AnalysisTemplate', 'webapp-slo-prometheus') as Any;
    expect(arg(prom, 'prometheus-address').value).toBe(
      'http://prometheus.istio-system.svc.cluster.local:9090',
    );
    const vs = find(objs, 'VirtualService', 'webapp') as Any;
    expect(vs.spec.http[0].name).toBe('primary');
    const dr = find(objs, 'DestinationRule', 'webapp') as Any;
    expect(dr.spec.trafficPolicy.connectionPool).toBeDefined();
    expect(dr.spec.trafficPolicy.outlierDetection).toBeDefined();
    // Only the intended differences from the lab overlay.
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(
      render('manifests/demo/lab')
        .map((o) => `${o.kind}/${o.metadata.name}`)
        .sort(),
    );
  });
});

describe('the control center in the cluster', () => {
  const objs = render('manifests/kind');
  const dep = find(objs, 'Deployment', 'control-center') as Any;
  const pod = dep.spec.template.spec;
  const c = pod.containers[0];

  it('runs the signed image from the local registry, non-root, read-only root fs, probes on /api/health, resources', () => {
    expect(c.image).toBe(`localhost:5001/control-center:${pinnedVersions().CONTROL_CENTER_TAG}`);
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(c.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(c.securityContext.capabilities.drop).toEqual(['ALL']);
    for (const p of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      expect(c[p].httpGet).toEqual({ path: '/api/health', port: 'http' });
    }
    expect(c.resources.requests.cpu).toBeDefined();
    expect(c.resources.limits.memory).toBeDefined();
    // Every writable path is a volume (read-only root fs).
    const mounts = c.volumeMounts.map((m: Any) => m.mountPath);
    expect(mounts).toEqual(
      expect.arrayContaining(['/data', '/tmp', '/app/.next/cache', '/etc/control-center']),
    );
    expect(pod.serviceAccountName).toBe(find(objs, 'ServiceAccount', 'control-center').metadata.name);
  });

  it('gets its secrets from Secret control-center and Prometheus by its in-cluster name', () => {
    const env = Object.fromEntries(c.env.map((e: Any) => [e.name, e]));
    expect(env.AUTH_SECRET.valueFrom.secretKeyRef).toEqual({ name: 'control-center', key: 'AUTH_SECRET' });
    expect(env.JUDGE_TOKEN.valueFrom.secretKeyRef).toEqual({ name: 'control-center', key: 'JUDGE_TOKEN' });
    expect(env.PROMETHEUS_URL.value).toBe('http://prometheus.istio-system.svc.cluster.local:9090');
    expect(env.CONTROL_CENTER_CONFIG.value).toBe('/etc/control-center/config.yaml');
    const secrets = readDocs('manifests/control-center/secret.template.yaml');
    expect(Object.keys((find(secrets, 'Secret', 'control-center') as Any).stringData).sort()).toEqual([
      'AUTH_SECRET',
      'DATABASE_URL',
      'JUDGE_TOKEN',
    ]);
  });

  it('reads CONTROL_CENTER_CONFIG from Secret control-center-config (it may carry password hashes), as setup writes it', () => {
    const env = Object.fromEntries(c.env.map((e: Any) => [e.name, e]));
    const mount = c.volumeMounts.find((m: Any) => m.mountPath === '/etc/control-center');
    expect(`${mount.mountPath}/config.yaml`).toBe(env.CONTROL_CENTER_CONFIG.value);
    const volume = pod.volumes.find((v: Any) => v.name === mount.name);
    expect(volume).toEqual({
      name: 'config',
      secret: { secretName: 'control-center-config', defaultMode: 0o440 },
    });
    expect(pod.securityContext.fsGroup).toBe(pod.securityContext.runAsGroup);
    const template = find(
      readDocs('manifests/control-center/secret.template.yaml'),
      'Secret',
      'control-center-config',
    ) as Any;
    expect(controlCenterConfigSchema.safeParse(parse(template.stringData['config.yaml'])).success).toBe(
      false,
    ); // a placeholder hash
    expect(Object.keys(template.stringData)).toEqual(['config.yaml']);
  });

  it('its CONTROL_CENTER_CONFIG parses with the control center own schema and links to the Grafana dashboard', () => {
    const cm = find(objs, 'ConfigMap', 'control-center-config') as Any;
    const cfg = controlCenterConfigSchema.parse(parse(cm.data['config.yaml']));
    const dashboard = JSON.parse(
      readFileSync(path.join(MANIFESTS, 'observability/dashboards/canary.json'), 'utf8'),
    );
    expect(cfg.links.grafana.dashboardUid).toBe(dashboard.uid);
    expect(cfg.links.grafana.url).toBe('http://127.0.0.1:3000');
    expect(cfg.links.argocd.url).toBe('https://127.0.0.1:8080');
    expect(cfg.links.rollouts.url).toBe('http://127.0.0.1:3100');
    expect(cfg.links.kiali.url).toBe('http://127.0.0.1:20001');
    expect(cfg.links.prometheus.url).toBe('http://127.0.0.1:9090');
  });

  it('two replicas: rolling one at a time, spread over nodes, the shared store from the Secret, the pod name as Lease identity', () => {
    expect(dep.spec.replicas).toBe(2);
    expect(dep.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    });
    const env = Object.fromEntries(c.env.map((e: Any) => [e.name, e]));
    // Required (no `optional`): a pod without it would run a private SQLite history next to the shared one.
    expect(env.DATABASE_URL).toEqual({
      name: 'DATABASE_URL',
      valueFrom: { secretKeyRef: { name: 'control-center', key: 'DATABASE_URL' } },
    });
    expect(env.POD_NAME.valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.name' } });
    expect(env.POD_NAMESPACE.valueFrom).toEqual({ fieldRef: { fieldPath: 'metadata.namespace' } });
    expect(pod.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: dep.spec.template.metadata.labels },
        matchLabelKeys: ['pod-template-hash'],
      },
    ]);
    // Readiness is the health route, which reads neither the store nor the API server (e2e/two-replicas.spec.ts
    // stops PostgreSQL and it still answers).
    expect(c.readinessProbe.httpGet.path).toBe('/api/health');
  });

  it('the PodDisruptionBudget keeps one of the two pods and selects exactly them', () => {
    const pdb = find(objs, 'PodDisruptionBudget', 'control-center') as Any;
    expect(pdb.apiVersion).toBe('policy/v1');
    expect(pdb.metadata.namespace).toBe(dep.metadata.namespace);
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: dep.spec.selector.matchLabels } });
    expect(pdb.spec.minAvailable).toBeLessThan(dep.spec.replicas);
    // Exactly these pods: the labels select the Deployment's template, and no other pod template rendered in the
    // namespace carries them.
    const selects = (labels: Record<string, string> = {}) =>
      Object.entries(pdb.spec.selector.matchLabels).every(([key, v]) => labels[key] === v);
    expect(selects(dep.spec.template.metadata.labels)).toBe(true);
    const others = objs.filter(
      (o) =>
        (o as Any).spec?.template?.metadata &&
        o !== (dep as KubeObject) &&
        o.metadata.namespace === pdb.metadata.namespace,
    );
    expect(others.filter((o) => selects((o as Any).spec.template.metadata.labels))).toEqual([]);
  });

  it("the recorder's Lease: create, and get + update of its own Lease only, in its own namespace", () => {
    const role = find(objs, 'Role', 'control-center-leader-election') as Any;
    expect(role.metadata.namespace).toBe(dep.metadata.namespace);
    expect(role.rules).toEqual([
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        resourceNames: ['control-center-recorder'],
        verbs: ['get', 'update'],
      },
    ]);
    // The name the shipped config elects on (its namespace defaults to the pod's own: the Role's).
    const cm = find(objs, 'ConfigMap', 'control-center-config') as Any;
    const cfg = controlCenterConfigSchema.parse(parse(cm.data['config.yaml']));
    const election = cfg.leaderElection;
    if (!election) throw new Error('configmap.yaml: leaderElection is off');
    expect(election.namespace).toBeUndefined();
    expect(role.rules[1].resourceNames).toEqual([election.leaseName]);
    const binding = find(objs, 'RoleBinding', 'control-center-leader-election') as Any;
    expect(binding.metadata.namespace).toBe(dep.metadata.namespace);
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'control-center-leader-election',
    });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: pod.serviceAccountName, namespace: dep.metadata.namespace },
    ]);
    // No other rule anywhere names leases, and nothing is cluster-wide.
    const leaseRules = objs
      .filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole')
      .flatMap((o) => ((o as Any).rules as Any[]).map((r): Any => ({ role: o.metadata.name, ...r })))
      .filter((r) => r.resources.includes('leases') || r.apiGroups.includes('coordination.k8s.io'));
    expect(leaseRules.map((r) => r.role)).toEqual([
      'control-center-leader-election',
      'control-center-leader-election',
    ]);
    expect(objs.filter((o) => o.kind.startsWith('Cluster'))).toEqual([]);
  });

  it('without DATABASE_URL (manifests/kind-sqlite): one replica, no DATABASE_URL, no PodDisruptionBudget, the rest the same', () => {
    const one = render('manifests/kind-sqlite');
    const d = find(one, 'Deployment', 'control-center') as Any;
    expect(d.spec.replicas).toBe(1);
    const names = d.spec.template.spec.containers[0].env.map((e: Any) => e.name);
    expect(names).toEqual(c.env.map((e: Any) => e.name).filter((n: string) => n !== 'DATABASE_URL'));
    expect(one.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
    const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    expect(one.map(key).sort()).toEqual(
      objs
        .filter((o) => o.kind !== 'PodDisruptionBudget')
        .map(key)
        .sort(),
    );
    // Only replicas and that one variable differ.
    const same = structuredClone(dep);
    same.spec.replicas = 1;
    same.spec.template.spec.containers[0].env = c.env.filter((e: Any) => e.name !== 'DATABASE_URL');
    expect(d).toEqual(same);
  });

  it('its Service is where the judge URL of the kind overlay points', () => {
    const svc = find(objs, 'Service', 'control-center') as Any;
    expect(svc.metadata.namespace).toBe('control-center');
    expect(svc.spec.ports[0].port).toBe(3300);
    expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
  });
});

describe('kind, Istio, Argo CD and Grafana wiring', () => {
  it('kind: 1 control plane + 2 workers, containerd config_path, the gateway NodePort on 127.0.0.1:8081', () => {
    const kind = parse(readFileSync(path.join(MANIFESTS, 'kind/cluster.yaml'), 'utf8')) as Any;
    expect(kind.apiVersion).toBe('kind.x-k8s.io/v1alpha4');
    expect(kind.nodes.map((n: Any) => n.role)).toEqual(['control-plane', 'worker', 'worker']);
    expect(kind.containerdConfigPatches.join('\n')).toMatch(/config_path = "\/etc\/containerd\/certs\.d"/);
    expect(kind.nodes[0].extraPortMappings).toContainEqual({
      containerPort: 30081,
      hostPort: 8081,
      listenAddress: '127.0.0.1',
      protocol: 'TCP',
    });
    expect(readFileSync(path.join(MANIFESTS, 'kind/hosts/localhost-5001.toml'), 'utf8')).toMatch(
      /^\[host\."http:\/\/kind-registry:5000"\]$/m,
    );
    const reg = find(
      readDocs('manifests/kind/local-registry-hosting.yaml'),
      'ConfigMap',
      'local-registry-hosting',
    );
    expect(reg.metadata.namespace).toBe('kube-public');
    expect(parse((reg as Any).data['localRegistryHosting.v1'])).toMatchObject({ host: 'localhost:5001' });
  });

  it('Istio: the ingress gateway is a NodePort 30081 for port 80 with both installers', () => {
    const op = readDocs('manifests/istio/istio-operator.yaml')[0] as Any;
    const gw = op.spec.components.ingressGateways[0];
    expect(gw.k8s.service.type).toBe('NodePort');
    expect(gw.k8s.service.ports.find((p: Any) => p.port === 80).nodePort).toBe(30081);
    const helm = parse(readFileSync(path.join(MANIFESTS, 'istio/helm/gateway-values.yaml'), 'utf8')) as Any;
    expect(helm.service.type).toBe('NodePort');
    expect(helm.service.ports.find((p: Any) => p.port === 80).nodePort).toBe(30081);
    expect(helm.labels.istio).toBe('ingressgateway');
    // The demo Gateway selects that gateway.
    const gateway = find(render('manifests/demo/kind'), 'Gateway', 'webapp-gateway') as Any;
    expect(gateway.spec.selector).toEqual({ istio: 'ingressgateway' });
  });

  it('Istio: the ingress gateway pods get the 300 ms duration bucket (SLO threshold) with both installers and the lab', () => {
    const op = readDocs('manifests/istio/istio-operator.yaml')[0] as Any;
    const fromOperator =
      op.spec.components.ingressGateways[0].k8s.podAnnotations[STATS_HISTOGRAM_BUCKETS_ANNOTATION];
    const helm = parse(readFileSync(path.join(MANIFESTS, 'istio/helm/gateway-values.yaml'), 'utf8')) as Any;
    const fromHelm = helm.podAnnotations[STATS_HISTOGRAM_BUCKETS_ANNOTATION];
    const lab = ingressGatewayObjects().find((o) => o.kind === 'Deployment') as Any;
    const fromLab = lab.spec.template.metadata.annotations[STATS_HISTOGRAM_BUCKETS_ANNOTATION];
    expect(fromOperator).toBe(SLO_BUCKETS_ANNOTATION_VALUE);
    expect(fromHelm).toBe(SLO_BUCKETS_ANNOTATION_VALUE);
    expect(fromLab).toBe(SLO_BUCKETS_ANNOTATION_VALUE);
    // Envoy's defaults plus 300, under the stat prefix of the istio_* metrics, accepted as Istio and Envoy read it
    expect(JSON.parse(SLO_BUCKETS_ANNOTATION_VALUE)).toEqual({
      istiocustom: [
        0.5, 1, 5, 10, 25, 50, 100, 250, 300, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
        1800000, 3600000,
      ],
    });
    expect(durationBucketsFor(fromOperator)).toEqual({
      ok: true,
      buckets: [...ENVOY_DEFAULT_BUCKETS, 300].sort((a, b) => a - b),
      prefix: 'istiocustom',
      warnings: [],
    });
    // the lab's stand-in names the pinned proxy and keeps the selector the demo Gateway uses
    expect(lab.spec.template.spec.containers[0].image).toBe(
      `docker.io/istio/proxyv2:${pinnedVersions().ISTIO_VERSION}`,
    );
    expect(lab.spec.template.metadata.labels.istio).toBe('ingressgateway');
    expect(lab.metadata).toMatchObject({ name: 'istio-ingressgateway', namespace: 'istio-system' });
  });

  it('Argo CD: the demo Application ignores the route weights Argo Rollouts owns, also when syncing', () => {
    const app = find(render('manifests/argocd'), 'Application', 'webapp') as Any;
    expect(app.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(app.spec.source.path).toBe('manifests/demo/kind');
    expect(app.spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'demo' });
    expect(app.spec.ignoreDifferences).toContainEqual(
      expect.objectContaining({
        group: 'networking.istio.io',
        kind: 'VirtualService',
        jqPathExpressions: ['.spec.http[].route[].weight'],
      }),
    );
    expect(app.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    expect(app.spec.syncPolicy.automated).toMatchObject({ prune: true, selfHeal: true });
    const cm = parse(readFileSync(path.join(MANIFESTS, 'argocd/argocd-cm-patch.yaml'), 'utf8')) as Any;
    // No cluster-wide kustomize flags: the merge patch removes any (null), every kustomization renders plainly.
    expect(cm.data).toHaveProperty(['kustomize.buildOptions'], null);
  });

  it('Grafana: the dashboard ConfigMap and its provider are what the Deployment patch mounts', () => {
    const objs = render('manifests/observability');
    const dash = find(objs, 'ConfigMap', 'canary-grafana-dashboard') as Any;
    expect(dash.metadata.namespace).toBe('istio-system');
    expect(JSON.parse(dash.data['canary.json']).uid).toBe('canary');
    const provider = parse(
      (find(objs, 'ConfigMap', 'canary-grafana-dashboard-provider') as Any).data['canary-provider.yaml'],
    );
    const patch = parse(
      readFileSync(path.join(MANIFESTS, 'observability/grafana-deployment-patch.yaml'), 'utf8'),
    ) as Any;
    const mounts = patch.spec.template.spec.containers[0].volumeMounts;
    expect(mounts.map((m: Any) => m.mountPath)).toContain(provider.providers[0].options.path);
    expect(patch.spec.template.spec.volumes.map((v: Any) => v.configMap.name).sort()).toEqual([
      'canary-grafana-dashboard',
      'canary-grafana-dashboard-provider',
    ]);
  });

  it("the patch merges into the Istio addon's Grafana Deployment, keeping the addon's own mounts", () => {
    const out = execFileSync(
      'kubectl',
      [
        'patch',
        '--local',
        '-f',
        path.join(__dirname, 'testdata/istio-addon-grafana-deployment.yaml'),
        '--type',
        'strategic',
        '--patch-file',
        path.join(MANIFESTS, 'observability/grafana-deployment-patch.yaml'),
        '-o',
        'json',
      ],
      { encoding: 'utf8' },
    );
    const patched = JSON.parse(out) as Any;
    const c = patched.spec.template.spec.containers;
    expect(c).toHaveLength(1);
    expect(c[0].volumeMounts.map((m: Any) => m.mountPath)).toEqual(
      expect.arrayContaining([
        '/var/lib/grafana',
        '/var/lib/grafana/dashboards/istio',
        '/etc/grafana/provisioning/dashboards/dashboardproviders.yaml',
        '/var/lib/grafana/dashboards/canary',
        '/etc/grafana/provisioning/dashboards/canary-provider.yaml',
      ]),
    );
    expect(patched.spec.template.spec.volumes).toHaveLength(6);
  });

  it('the files the kustomizations and scripts name exist', () => {
    for (const f of ['kind/cluster.yaml', 'kind/hosts/docker.io.toml', 'versions.env']) {
      expect(() => readFileSync(path.join(MANIFESTS, f))).not.toThrow();
    }
    expect(
      parseDocs(readFileSync(path.join(ROOT, 'manifests/control-center/kustomization.yaml'), 'utf8')),
    ).toHaveLength(1);
  });
});
