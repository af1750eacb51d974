/** Shared helpers for the lab's own object checks (what the JSON schemas of @kubernetes-models miss). */
import { checkEnvNames } from './validate-env';
import { checkVolumeMounts, checkVolumes } from './validate-volumes';

export type Obj = Record<string, unknown>;
export interface Cause {
  field: string;
  message: string;
}

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const required = (field: string): Cause => ({ field, message: 'Required value' });
export const bad = (field: string, value: unknown, why: string): Cause => ({
  field,
  message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
});

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function checkMetadata(meta: unknown, out: Cause[], prefix = 'metadata'): void {
  if (!isObj(meta)) return;
  for (const which of ['labels', 'annotations'] as const) {
    const m = meta[which];
    if (m === undefined || m === null) continue;
    if (!isObj(m)) {
      out.push(bad(`${prefix}.${which}`, m, 'must be a map of strings'));
      continue;
    }
    for (const [k, v] of Object.entries(m)) {
      if (!QUALIFIED_NAME.test(k) || (k.split('/').pop() ?? '').length > 63)
        out.push(
          bad(`${prefix}.${which}`, k, "name part must consist of alphanumeric characters, '-', '_' or '.'"),
        );
      if (typeof v !== 'string') out.push(bad(`${prefix}.${which}.${k}`, v, 'must be a string'));
      else if (which === 'labels' && (v.length > 63 || !LABEL_VALUE.test(v)))
        out.push(
          bad(
            `${prefix}.labels`,
            v,
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
          ),
        );
    }
  }
}

export function checkPodSpec(spec: unknown, field: string, out: Cause[]): void {
  if (!isObj(spec)) {
    out.push(required(field));
    return;
  }
  const containers = list(spec.containers);
  if (containers.length === 0) out.push(required(`${field}.containers`));
  const volumes = checkVolumes(spec, field, out);
  const seen = new Set<string>();
  for (const [kind, items] of [
    ['containers', containers],
    ['initContainers', list(spec.initContainers)],
  ] as const) {
    items.forEach((c, i) => {
      const f = `${field}.${kind}[${i}]`;
      if (!isObj(c)) {
        out.push(bad(f, c, 'must be an object'));
        return;
      }
      if (typeof c.name !== 'string' || !c.name) out.push(required(`${f}.name`));
      else if (!DNS_LABEL.test(c.name))
        out.push(
          bad(
            `${f}.name`,
            c.name,
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'",
          ),
        );
      else if (seen.has(c.name)) out.push({ field: `${f}.name`, message: `Duplicate value: "${c.name}"` });
      else seen.add(c.name);
      if (typeof c.image !== 'string' || !c.image.trim()) out.push(required(`${f}.image`));
      checkVolumeMounts(c, volumes, f, out);
      checkEnvNames(c, f, out);
      list(c.ports).forEach((p, j) => {
        const port = isObj(p) ? p.containerPort : undefined;
        if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535)
          out.push(bad(`${f}.ports[${j}].containerPort`, port, 'must be between 1 and 65535, inclusive'));
      });
    });
  }
}

/** Template labels must satisfy the selector's matchLabels (the check ReplicaSets and Rollouts share). */
export function checkSelector(spec: Obj, field: string, out: Cause[]): void {
  const sel = spec.selector;
  if (!isObj(sel) || (!isObj(sel.matchLabels) && !Array.isArray(sel.matchExpressions))) {
    out.push(required(`${field}.selector`));
    return;
  }
  const labels =
    isObj(spec.template) && isObj(spec.template.metadata) ? spec.template.metadata.labels : undefined;
  const want = isObj(sel.matchLabels) ? sel.matchLabels : {};
  if (Object.keys(want).length === 0 && !Array.isArray(sel.matchExpressions))
    out.push(bad(`${field}.selector`, sel, 'empty selector is invalid'));
  const ok = Object.entries(want).every(([k, v]) => isObj(labels) && labels[k] === v);
  if (isObj(spec.template) && !ok)
    out.push(
      bad(`${field}.template.metadata.labels`, labels ?? {}, '`selector` does not match template `labels`'),
    );
}

export function checkNonNegativeInt(v: unknown, field: string, out: Cause[]): void {
  if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0))
    out.push(bad(field, v, 'must be greater than or equal to 0'));
}

export function checkPercent(v: unknown, field: string, out: Cause[]): void {
  if (v !== undefined && (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 100))
    out.push(bad(field, v, 'must be an integer between 0 and 100'));
}
