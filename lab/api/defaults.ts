import { createHash } from 'node:crypto';
import type { KubeObject, ResourceType } from '../store/types';
import { isObj, list } from './validate-common';

function clusterIp(ns: string, name: string): string {
  const h = createHash('sha256').update(`${ns}/${name}`).digest();
  return `10.96.${h[0] ?? 0}.${Math.max(1, Math.min(254, h[1] ?? 1))}`;
}

function defaultContainerPorts(spec: unknown): void {
  if (!isObj(spec)) return;
  for (const c of [...list(spec.containers), ...list(spec.initContainers)]) {
    if (!isObj(c)) continue;
    for (const p of list(c.ports)) if (isObj(p) && p.protocol === undefined) p.protocol = 'TCP';
  }
}

/**
 * The defaults a real API server fills in on write (a small, idempotent subset): Namespace phase, Secret type, Pod
 * phase and restartPolicy, Service type/clusterIP/protocol/targetPort, ReplicaSet and Job counts. Mutates `obj`.
 */
export function applyDefaults(rt: ResourceType, obj: KubeObject, current?: KubeObject): void {
  const spec = isObj(obj.spec) ? obj.spec : undefined;
  switch (rt.kind) {
    case 'Namespace':
      if (!isObj(obj.status)) obj.status = { phase: 'Active' };
      break;
    case 'Secret':
      obj.type ??= 'Opaque';
      break;
    case 'Pod':
      if (spec) {
        spec.restartPolicy ??= 'Always';
        defaultContainerPorts(spec);
      }
      if (!current && !isObj(obj.status)) obj.status = { phase: 'Pending' };
      break;
    case 'Service':
      if (spec) {
        spec.type ??= 'ClusterIP';
        const prev = isObj(current?.spec) ? current.spec.clusterIP : undefined;
        if (spec.clusterIP === undefined && spec.type !== 'ExternalName')
          spec.clusterIP =
            typeof prev === 'string'
              ? prev
              : clusterIp(obj.metadata.namespace ?? '', obj.metadata.name ?? '');
        if (typeof spec.clusterIP === 'string' && spec.clusterIPs === undefined)
          spec.clusterIPs = [spec.clusterIP];
        spec.sessionAffinity ??= 'None';
        for (const p of list(spec.ports)) {
          if (!isObj(p)) continue;
          p.protocol ??= 'TCP';
          p.targetPort ??= p.port;
        }
      }
      break;
    case 'ReplicaSet':
      if (spec) {
        spec.replicas ??= 1;
        if (isObj(spec.template)) defaultContainerPorts(spec.template.spec);
      }
      break;
    case 'Job':
      if (spec) {
        spec.completions ??= 1;
        spec.parallelism ??= 1;
        spec.backoffLimit ??= 6;
      }
      break;
  }
}
