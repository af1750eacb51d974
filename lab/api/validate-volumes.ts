/**
 * A pod spec's volumes and volume mounts, checked as the Kubernetes API server checks them (pkg/apis/core/validation:
 * ValidateVolumes, validateVolumeMounts, validateKeyToPath): volume names are unique DNS-1123 labels, a mount names a
 * (valid) volume, mount paths are set and unique, subPath and items[].path are relative and never step out with `..`.
 */
import type { Cause } from './validate-common';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const invalid = (field: string, value: unknown, why: string): Cause => ({
  field,
  message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
});

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** apimachinery's IsDNS1123Label messages. */
export function dns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(value))
    errs.push(
      DNS1123_SUBDOMAIN.test(value)
        ? 'must not contain dots'
        : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    );
  return errs;
}

/** validateLocalDescendingPath: relative, no `..` element (one error even for `../../..`). */
function checkDescendingPath(p: string, field: string, out: Cause[]): void {
  if (p.startsWith('/')) out.push(invalid(field, p, 'must be a relative path'));
  if (p.split('/').includes('..')) out.push(invalid(field, p, "must not contain '..'"));
}

function checkKeyToPaths(items: unknown, field: string, out: Cause[]): void {
  list(items).forEach((item, j) => {
    const f = `${field}.items[${j}]`;
    const kp = isObj(item) ? item : {};
    if (typeof kp.key !== 'string' || !kp.key) out.push({ field: `${f}.key`, message: 'Required value' });
    const p = typeof kp.path === 'string' ? kp.path : '';
    if (!p) out.push({ field: `${f}.path`, message: 'Required value' });
    checkDescendingPath(p, `${f}.path`, out);
    if (p.startsWith('..')) out.push(invalid(`${f}.path`, p, "must not start with '..'"));
  });
}

/** Checks `spec.volumes`; returns the names of the valid volumes (the only ones a mount may name). */
export function checkVolumes(spec: Obj, field: string, out: Cause[]): Set<string> {
  const names = new Set<string>();
  list(spec.volumes).forEach((v, i) => {
    const f = `${field}.volumes[${i}]`;
    const vol = isObj(v) ? v : {};
    const name = typeof vol.name === 'string' ? vol.name : '';
    const errs: Cause[] = [];
    if (!name) errs.push({ field: `${f}.name`, message: 'Required value' });
    else for (const msg of dns1123LabelErrors(name)) errs.push(invalid(`${f}.name`, name, msg));
    if (names.has(name))
      errs.push({ field: `${f}.name`, message: `Duplicate value: ${JSON.stringify(name)}` });
    if (isObj(vol.configMap)) checkKeyToPaths(vol.configMap.items, `${f}.configMap`, errs);
    if (isObj(vol.secret)) checkKeyToPaths(vol.secret.items, `${f}.secret`, errs);
    if (errs.length === 0) names.add(name);
    out.push(...errs);
  });
  return names;
}

/** Checks one container's `volumeMounts` (`field` is the container's path, e.g. `spec.containers[0]`). */
export function checkVolumeMounts(container: Obj, volumes: Set<string>, field: string, out: Cause[]): void {
  const mountPaths = new Set<string>();
  const mountsField = `${field}.volumeMounts`;
  list(container.volumeMounts).forEach((m, i) => {
    const f = `${mountsField}[${i}]`;
    const mount = isObj(m) ? m : {};
    const name = typeof mount.name === 'string' ? mount.name : '';
    if (!name) out.push({ field: `${f}.name`, message: 'Required value' });
    if (!volumes.has(name)) out.push({ field: `${f}.name`, message: `Not found: ${JSON.stringify(name)}` });
    const mountPath = typeof mount.mountPath === 'string' ? mount.mountPath : '';
    if (!mountPath) out.push({ field: `${f}.mountPath`, message: 'Required value' });
    if (mountPaths.has(mountPath)) out.push(invalid(`${f}.mountPath`, mountPath, 'must be unique'));
    mountPaths.add(mountPath);
    // The API server names the list here, not the item (fldPath.Child("subPath")): kept as it words it.
    if (typeof mount.subPath === 'string' && mount.subPath)
      checkDescendingPath(mount.subPath, `${mountsField}.subPath`, out);
  });
}
