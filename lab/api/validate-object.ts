import { invalid } from '../store/status-error';
import type { KubeObject, ResourceType } from '../store/types';
import { type Cause, checkMetadata, isObj } from './validate-common';
import { RULES } from './validate-rules';

interface Validatable {
  validate(): void;
}
type ModelClass = (new (data: never) => Validatable) & { apiVersion: string };

let MODELS: Record<string, ModelClass> = {};

/**
 * Loads the JSON-schema validators of @kubernetes-models (ESM-only packages, so imported dynamically). Started when this
 * module loads; `startApiServer` awaits it. Until it resolves, `validateObject` applies only the lab's own rules.
 */
export const loadValidators: () => Promise<void> = (() => {
  let loading: Promise<void> | undefined;
  return () => {
    loading ??= Promise.all([
      import('@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1'),
      import('@kubernetes-models/istio/networking.istio.io/v1'),
      import('kubernetes-models/apps/v1'),
      import('kubernetes-models/batch/v1'),
      import('kubernetes-models/v1'),
      import('kubernetes-models/rbac.authorization.k8s.io/v1'),
      import('kubernetes-models/coordination.k8s.io/v1'),
    ]).then(([argo, istio, apps, batch, core, rbac, coordination]) => {
      const { AnalysisRun, AnalysisTemplate, ClusterAnalysisTemplate, Rollout } = argo;
      const { DestinationRule, Gateway, VirtualService } = istio;
      const { ConfigMap, Event, Namespace, Pod, Secret, Service, ServiceAccount } = core;
      const { ClusterRole, ClusterRoleBinding, Role, RoleBinding } = rbac;
      MODELS = {
        ...{ Pod, Service, ConfigMap, Secret, Event, Namespace, ReplicaSet: apps.ReplicaSet, Job: batch.Job },
        Deployment: apps.Deployment,
        ...{ ServiceAccount, Role, RoleBinding, ClusterRole, ClusterRoleBinding, Lease: coordination.Lease },
        ...{
          Rollout,
          AnalysisRun,
          AnalysisTemplate,
          ClusterAnalysisTemplate,
          VirtualService,
          DestinationRule,
          Gateway,
        },
      } as unknown as Record<string, ModelClass>;
    });
    return loading;
  };
})();
void loadValidators().catch(() => undefined);

interface AjvError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: { missingProperty?: string };
}

/** `/spec/containers/0/name` → `spec.containers[0].name` */
function fieldPath(pointer: string, extra?: string): string {
  const parts = pointer.split('/').filter(Boolean);
  if (extra) parts.push(extra);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function valueAt(obj: unknown, pointer: string): unknown {
  let cur = obj;
  for (const p of pointer.split('/').filter(Boolean))
    cur = isObj(cur) || Array.isArray(cur) ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

function schemaCauses(rt: ResourceType, obj: KubeObject): Cause[] {
  const Model = MODELS[rt.kind];
  if (!Model) return [];
  try {
    new Model({ ...obj, apiVersion: Model.apiVersion } as never).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) return [{ field: '<object>', message: (err as Error).message }];
    return errors.map((e) =>
      e.keyword === 'required'
        ? { field: fieldPath(e.instancePath ?? '', e.params?.missingProperty), message: 'Required value' }
        : {
            field: fieldPath(e.instancePath ?? '') || '<object>',
            message: `Invalid value: ${JSON.stringify(valueAt(obj, e.instancePath ?? '')) ?? 'null'}: ${e.message ?? 'invalid'}`,
          },
    );
  }
}

/**
 * Checks an object before the store writes it (pass as `new LabStore({validate: validateObject})`): the JSON schema of
 * the kind from @kubernetes-models, then the lab's own rules (required fields, weights 0..100, known canary steps...).
 * Throws the store's 422 `invalid()` naming every bad field; nothing is stored then.
 */
export function validateObject(rt: ResourceType, obj: KubeObject): void {
  const causes: Cause[] = [];
  if (obj.kind !== rt.kind)
    causes.push({ field: 'kind', message: `Invalid value: "${obj.kind}": must be ${rt.kind}` });
  checkMetadata(obj.metadata, causes);
  causes.push(...schemaCauses(rt, obj));
  RULES[rt.kind]?.(obj as Record<string, unknown>, causes);
  const unique = causes.filter(
    (c, i) => causes.findIndex((d) => d.field === c.field && d.message === c.message) === i,
  );
  if (unique.length > 0) throw invalid(rt.kind, obj.metadata?.name ?? '', unique, rt.group);
}
