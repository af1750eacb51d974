import type { KubeObject } from '../store/types';

export interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  description: string;
  priority: number;
  cell: (o: KubeObject) => string | number;
}

type Obj = Record<string, unknown>;

/** Reads a dotted path out of an object (undefined when absent). */
export function at(o: unknown, path: string): unknown {
  let cur: unknown = o;
  for (const k of path.split('.')) cur = cur && typeof cur === 'object' ? (cur as Obj)[k] : undefined;
  return cur;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const str = (v: unknown, dflt = '<none>'): string =>
  v === undefined || v === null || v === '' ? dflt : String(v);

/** Kubernetes' HumanDuration, as kubectl prints AGE. */
export function humanAge(since: string | undefined, now = Date.now()): string {
  if (!since) return '<unknown>';
  const secs = Math.floor((now - Date.parse(since)) / 1000);
  if (Number.isNaN(secs)) return '<unknown>';
  if (secs < -1) return '<invalid>';
  if (secs < 0) return '0s';
  if (secs < 120) return `${secs}s`;
  const mins = Math.floor(secs / 60);
  if (mins < 10) return secs % 60 === 0 ? `${mins}m` : `${mins}m${secs % 60}s`;
  if (mins < 180) return `${mins}m`;
  const hours = Math.floor(mins / 60);
  if (hours < 8) return mins % 60 === 0 ? `${hours}h` : `${hours}h${mins % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 192) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 730) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}

const nameCol: Column = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description: 'Name must be unique within a namespace.',
  priority: 0,
  cell: (o) => o.metadata.name ?? '',
};
const ageCol: Column = {
  name: 'Age',
  type: 'string',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
  priority: 0,
  cell: (o) => humanAge(o.metadata.creationTimestamp),
};
const col = (name: string, cell: Column['cell'], type: Column['type'] = 'string', priority = 0): Column => ({
  name,
  type,
  description: name,
  priority,
  cell,
});

function podStatus(o: KubeObject): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  for (const cs of arr(at(o, 'status.containerStatuses'))) {
    const waiting = at(cs, 'state.waiting.reason');
    if (typeof waiting === 'string' && waiting) return waiting;
    const term = at(cs, 'state.terminated.reason');
    if (typeof term === 'string' && term && at(o, 'status.phase') !== 'Succeeded') return term;
  }
  return str(at(o, 'status.reason') ?? at(o, 'status.phase'), 'Pending');
}

/** The weight the current step sets: the last setWeight at or before currentStepIndex (100 when done). */
function setWeight(o: KubeObject): number {
  const steps = arr(at(o, 'spec.strategy.canary.steps'));
  const idx = at(o, 'status.currentStepIndex');
  const i = typeof idx === 'number' ? idx : 0;
  if (i >= steps.length) return 100;
  let w = 0;
  for (let k = 0; k <= i && k < steps.length; k++) {
    const v = at(steps[k], 'setWeight');
    if (typeof v === 'number') w = v;
  }
  return w;
}

function rolloutStep(o: KubeObject): string {
  const steps = arr(at(o, 'spec.strategy.canary.steps'));
  if (!at(o, 'spec.strategy.canary')) return '-';
  const idx = at(o, 'status.currentStepIndex');
  return `${typeof idx === 'number' ? idx : 0}/${steps.length}`;
}

const servicePorts = (o: KubeObject): string =>
  arr(at(o, 'spec.ports'))
    .map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${str(p.protocol, 'TCP')}`)
    .join(',') || '<none>';

/** Server-side printer columns per kind (the CRD printer columns / kubectl's built-in printers). */
export const COLUMNS: Record<string, Column[]> = {
  Pod: [
    nameCol,
    col('Ready', (o) => {
      const cs = arr(at(o, 'status.containerStatuses'));
      return `${cs.filter((c) => c.ready === true).length}/${arr(at(o, 'spec.containers')).length}`;
    }),
    col('Status', podStatus),
    col(
      'Restarts',
      (o) => arr(at(o, 'status.containerStatuses')).reduce((s, c) => s + num(c.restartCount), 0),
      'integer',
    ),
    ageCol,
    col('IP', (o) => str(at(o, 'status.podIP')), 'string', 1),
    col('Node', (o) => str(at(o, 'spec.nodeName')), 'string', 1),
  ],
  Rollout: [
    nameCol,
    col('Desired', (o) => num(at(o, 'spec.replicas') ?? 1), 'integer'),
    col('Current', (o) => num(at(o, 'status.replicas')), 'integer'),
    col('Up-to-date', (o) => num(at(o, 'status.updatedReplicas')), 'integer'),
    col('Available', (o) => num(at(o, 'status.availableReplicas')), 'integer'),
    col('Status', (o) => str(at(o, 'status.phase'), 'Progressing')),
    col('Step', rolloutStep),
    col('Set-Weight', (o) => (at(o, 'spec.strategy.canary') ? setWeight(o) : '-')),
    col('Actual-Weight', (o) => {
      const w = at(o, 'status.canary.weights.canary.weight');
      return typeof w === 'number' ? w : at(o, 'spec.strategy.canary') ? setWeight(o) : '-';
    }),
    ageCol,
  ],
  Service: [
    nameCol,
    col('Type', (o) => str(at(o, 'spec.type'), 'ClusterIP')),
    col('Cluster-IP', (o) => str(at(o, 'spec.clusterIP'))),
    col('External-IP', (o) => str(at(o, 'spec.externalIPs'))),
    col('Port(s)', servicePorts),
    ageCol,
  ],
  Deployment: [
    nameCol,
    col('Ready', (o) => `${num(at(o, 'status.readyReplicas'))}/${num(at(o, 'spec.replicas') ?? 1)}`),
    col('Up-to-date', (o) => num(at(o, 'status.updatedReplicas')), 'integer'),
    col('Available', (o) => num(at(o, 'status.availableReplicas')), 'integer'),
    ageCol,
    col(
      'Containers',
      (o) =>
        arr(at(o, 'spec.template.spec.containers'))
          .map((c) => str(c.name, ''))
          .join(','),
      'string',
      1,
    ),
    col(
      'Images',
      (o) =>
        arr(at(o, 'spec.template.spec.containers'))
          .map((c) => str(c.image, ''))
          .join(','),
      'string',
      1,
    ),
    col(
      'Selector',
      (o) =>
        Object.entries((at(o, 'spec.selector.matchLabels') as Obj | undefined) ?? {})
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(',') || '<none>',
      'string',
      1,
    ),
  ],
  ReplicaSet: [
    nameCol,
    col('Desired', (o) => num(at(o, 'spec.replicas') ?? 1), 'integer'),
    col('Current', (o) => num(at(o, 'status.replicas')), 'integer'),
    col('Ready', (o) => num(at(o, 'status.readyReplicas')), 'integer'),
    ageCol,
  ],
  ConfigMap: [
    nameCol,
    col('Data', (o) => Object.keys((o.data as Obj | undefined) ?? {}).length, 'integer'),
    ageCol,
  ],
  Namespace: [nameCol, col('Status', (o) => str(at(o, 'status.phase'), 'Active')), ageCol],
  VirtualService: [
    nameCol,
    col('Gateways', (o) => JSON.stringify(at(o, 'spec.gateways') ?? [])),
    col('Hosts', (o) => JSON.stringify(at(o, 'spec.hosts') ?? [])),
    ageCol,
  ],
  // kubernetes pkg/printers/internalversion printLease: an absent holder prints as an empty cell.
  Lease: [nameCol, col('Holder', (o) => str(at(o, 'spec.holderIdentity'), '')), ageCol],
  AnalysisRun: [nameCol, col('Status', (o) => str(at(o, 'status.phase'), '')), ageCol],
  Job: [
    nameCol,
    col('Completions', (o) => `${num(at(o, 'status.succeeded'))}/${num(at(o, 'spec.completions') ?? 1)}`),
    ageCol,
  ],
  Event: [
    col('Last Seen', (o) => humanAge(str(at(o, 'lastTimestamp') ?? o.metadata.creationTimestamp, ''))),
    col('Type', (o) => str(o.type, '')),
    col('Reason', (o) => str(o.reason, '')),
    col(
      'Object',
      (o) =>
        `${String(at(o, 'involvedObject.kind') ?? '').toLowerCase()}/${str(at(o, 'involvedObject.name'), '')}`,
    ),
    col('Message', (o) => str(o.message, '')),
  ],
};

export function columnsFor(kind: string): Column[] {
  return COLUMNS[kind] ?? [nameCol, ageCol];
}
