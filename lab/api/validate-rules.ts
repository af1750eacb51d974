import {
  bad,
  type Cause,
  checkNonNegativeInt,
  checkPercent,
  checkPodSpec,
  checkSelector,
  isObj,
  list,
  type Obj,
  required,
} from './validate-common';
import { validateLease } from './validate-lease';

const STEP_KEYS = new Set([
  'setWeight',
  'pause',
  'analysis',
  'experiment',
  'setCanaryScale',
  'setHeaderRoute',
  'setMirrorRoute',
  'plugin',
]);
const DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

function rollout(o: Obj, out: Cause[]): void {
  const spec = isObj(o.spec) ? o.spec : undefined;
  if (!spec) return void out.push(required('spec'));
  checkNonNegativeInt(spec.replicas, 'spec.replicas', out);
  if (!spec.workloadRef) {
    checkSelector(spec, 'spec', out);
    if (!isObj(spec.template)) out.push(required('spec.template'));
    else checkPodSpec(spec.template.spec, 'spec.template.spec', out);
  }
  const strategy = isObj(spec.strategy) ? spec.strategy : undefined;
  const kinds = strategy ? ['canary', 'blueGreen'].filter((k) => isObj(strategy[k])) : [];
  if (!strategy || kinds.length === 0) return void out.push(required('spec.strategy'));
  if (kinds.length > 1) out.push(bad('spec.strategy', kinds, 'only one of canary or blueGreen may be set'));
  if (isObj(strategy.blueGreen) && !strategy.blueGreen.activeService)
    out.push(required('spec.strategy.blueGreen.activeService'));
  const canary = strategy.canary;
  if (!isObj(canary)) return;
  list(canary.steps).forEach((step, i) => {
    const f = `spec.strategy.canary.steps[${i}]`;
    if (!isObj(step)) {
      out.push(bad(f, step, 'must be an object'));
      return;
    }
    const keys = Object.keys(step);
    for (const k of keys) if (!STEP_KEYS.has(k)) out.push(bad(`${f}.${k}`, k, 'unknown step field'));
    if (keys.length !== 1)
      out.push(bad(f, keys, 'a step must set exactly one of setWeight, pause, analysis, ...'));
    checkPercent(step.setWeight, `${f}.setWeight`, out);
    if (step.pause !== undefined) {
      const d = isObj(step.pause) ? step.pause.duration : 'x';
      const ok =
        d === undefined ||
        (Number.isInteger(d) && (d as number) >= 0) ||
        (typeof d === 'string' && (DURATION.test(d) || /^\d+$/.test(d)));
      if (!ok) out.push(bad(`${f}.pause.duration`, d, 'must be a duration such as 30s, 5m or 1h'));
    }
    if (isObj(step.setCanaryScale)) {
      checkPercent(step.setCanaryScale.weight, `${f}.setCanaryScale.weight`, out);
      checkNonNegativeInt(step.setCanaryScale.replicas, `${f}.setCanaryScale.replicas`, out);
    }
    if (step.analysis !== undefined) {
      const templates = isObj(step.analysis) ? list(step.analysis.templates) : [];
      if (templates.length === 0) out.push(required(`${f}.analysis.templates`));
    }
  });
  checkPercent(canary.maxWeight, 'spec.strategy.canary.maxWeight', out);
}

function httpRoutes(routes: unknown, field: string, out: Cause[]): void {
  list(routes).forEach((r, i) => {
    const f = `${field}[${i}]`;
    if (!isObj(r)) {
      out.push(bad(f, r, 'must be an object'));
      return;
    }
    const dests = list(r.route);
    if (dests.length === 0 && !r.redirect && !r.directResponse && !r.delegate)
      out.push(required(`${f}.route`));
    let sum = 0;
    let anyWeight = false;
    dests.forEach((d, j) => {
      const df = `${f}.route[${j}]`;
      if (!isObj(d) || !isObj(d.destination) || typeof d.destination.host !== 'string' || !d.destination.host)
        out.push(required(`${df}.destination.host`));
      const w = isObj(d) ? d.weight : undefined;
      checkPercent(w, `${df}.weight`, out);
      if (typeof w === 'number') {
        anyWeight = true;
        sum += w;
      }
    });
    if (dests.length > 1 && anyWeight && sum !== 100)
      out.push(bad(`${f}.route`, sum, 'total destination weight must add up to 100'));
  });
}

function virtualService(o: Obj, out: Cause[]): void {
  const spec = isObj(o.spec) ? o.spec : undefined;
  if (!spec) return void out.push(required('spec'));
  const hosts = list(spec.hosts);
  if (hosts.length === 0) out.push(required('spec.hosts'));
  hosts.forEach((h, i) => {
    if (typeof h !== 'string' || !h) out.push(bad(`spec.hosts[${i}]`, h, 'must be a non-empty string'));
  });
  if (list(spec.http).length + list(spec.tcp).length + list(spec.tls).length === 0)
    out.push(required('spec.http'));
  httpRoutes(spec.http, 'spec.http', out);
  httpRoutes(spec.tcp, 'spec.tcp', out);
  httpRoutes(spec.tls, 'spec.tls', out);
}

function service(o: Obj, out: Cause[]): void {
  const spec = isObj(o.spec) ? o.spec : {};
  const ports = list(spec.ports);
  if (ports.length === 0 && spec.type !== 'ExternalName' && spec.clusterIP !== 'None')
    out.push(required('spec.ports'));
  ports.forEach((p, i) => {
    const port = isObj(p) ? p.port : undefined;
    if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535)
      out.push(bad(`spec.ports[${i}].port`, port, 'must be between 1 and 65535, inclusive'));
    if (ports.length > 1 && !(isObj(p) && p.name)) out.push(required(`spec.ports[${i}].name`));
  });
}

type Rule = (o: Obj, out: Cause[]) => void;

/** The lab's own checks per kind (run after the JSON schema); each adds the fields it finds wrong. */
export const RULES: Record<string, Rule> = {
  Pod: (o, out) => checkPodSpec(o.spec, 'spec', out),
  Service: service,
  ReplicaSet: (o, out) => {
    const spec = isObj(o.spec) ? o.spec : undefined;
    if (!spec) return void out.push(required('spec'));
    checkNonNegativeInt(spec.replicas, 'spec.replicas', out);
    checkSelector(spec, 'spec', out);
    if (!isObj(spec.template)) out.push(required('spec.template'));
    else checkPodSpec(spec.template.spec, 'spec.template.spec', out);
  },
  Job: (o, out) => {
    const spec = isObj(o.spec) ? o.spec : undefined;
    const template = spec && isObj(spec.template) ? spec.template : undefined;
    if (!template) return void out.push(required('spec.template'));
    checkPodSpec(template.spec, 'spec.template.spec', out);
    const policy = isObj(template.spec) ? template.spec.restartPolicy : undefined;
    if (policy !== 'Never' && policy !== 'OnFailure')
      out.push({
        field: 'spec.template.spec.restartPolicy',
        message: `Unsupported value: "${String(policy ?? 'Always')}": supported values: "OnFailure", "Never"`,
      });
  },
  Rollout: rollout,
  Lease: validateLease,
  VirtualService: virtualService,
  DestinationRule: (o, out) => {
    const spec = isObj(o.spec) ? o.spec : {};
    if (typeof spec.host !== 'string' || !spec.host) out.push(required('spec.host'));
    const names = new Set<unknown>();
    list(spec.subsets).forEach((s, i) => {
      const name = isObj(s) ? s.name : undefined;
      if (!name) out.push(required(`spec.subsets[${i}].name`));
      else if (names.has(name))
        out.push({ field: `spec.subsets[${i}].name`, message: `Duplicate value: "${String(name)}"` });
      names.add(name);
    });
  },
  Gateway: (o, out) => {
    const spec = isObj(o.spec) ? o.spec : {};
    const servers = list(spec.servers);
    if (servers.length === 0) out.push(required('spec.servers'));
    servers.forEach((s, i) => {
      if (!isObj(s) || !isObj(s.port) || !Number.isInteger(s.port.number))
        out.push(required(`spec.servers[${i}].port.number`));
      if (!isObj(s) || list(s.hosts).length === 0) out.push(required(`spec.servers[${i}].hosts`));
    });
  },
  AnalysisTemplate: (o, out) => metrics(o, out),
  ClusterAnalysisTemplate: (o, out) => metrics(o, out),
  AnalysisRun: (o, out) => metrics(o, out),
  ConfigMap: (o, out) => {
    for (const which of ['data', 'binaryData']) {
      const d = o[which];
      if (d !== undefined && d !== null && !isObj(d)) out.push(bad(which, d, 'must be a map'));
      if (!isObj(d)) continue;
      for (const [k, v] of Object.entries(d)) {
        if (!/^[-._a-zA-Z0-9]+$/.test(k))
          out.push(
            bad(`${which}`, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"),
          );
        if (typeof v !== 'string') out.push(bad(`${which}[${k}]`, v, 'must be a string'));
      }
    }
  },
};

function metrics(o: Obj, out: Cause[]): void {
  const spec = isObj(o.spec) ? o.spec : {};
  const ms = list(spec.metrics);
  if (ms.length === 0) out.push(required('spec.metrics'));
  ms.forEach((m, i) => {
    if (!isObj(m) || !m.name) out.push(required(`spec.metrics[${i}].name`));
    if (!isObj(m) || !isObj(m.provider)) out.push(required(`spec.metrics[${i}].provider`));
  });
}
