/** Shapes shared by the lab's store, API server and controllers. The lab is its own program (DESIGN.md §2). */

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [key: string]: unknown;
}

/** One kind the lab serves. `versions[0]` is the preferred version; every version shares one storage. */
export interface ResourceType {
  group: string; // '' for core
  versions: string[];
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories?: string[];
  /** Subresources beyond the object itself. */
  subresources: Array<'status' | 'log' | 'token'>;
  /** A kind that is only ever created and never stored (access and token reviews): its sole verb is create. */
  createOnly?: boolean;
  /** PUT of an absent object creates it (the registry strategy's AllowCreateOnUpdate, e.g. Leases). */
  createOnUpdate?: boolean;
  /** PUT must carry metadata.resourceVersion (AllowUnconditionalUpdate false, e.g. Leases): else 422. */
  requireResourceVersion?: boolean;
  /** True for kinds whose `spec` changes bump metadata.generation (everything but ConfigMap/Secret/Event/Namespace-like). */
  hasSpec: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
  /** The store-wide resourceVersion at which this change happened. */
  rv: number;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface WatchOptions extends ListOptions {
  /** Send changes after this resourceVersion; absent = synthetic ADDED for every current object first. */
  resourceVersion?: string;
}

export interface WriteOptions {
  subresource?: 'status';
  dryRun?: boolean;
  /** For deletes: 'Background' (default), 'Foreground' or 'Orphan'. */
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}
