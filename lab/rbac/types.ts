/** RBAC shapes (rbac.authorization.k8s.io/v1) and the request attributes an authorizer decides on. */

export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

export interface RoleRef {
  apiGroup: string;
  kind: string;
  name: string;
}

export interface Role {
  metadata: { name?: string; namespace?: string };
  rules?: PolicyRule[];
}

export interface Binding {
  metadata: { name?: string; namespace?: string };
  roleRef: RoleRef;
  subjects?: Subject[];
}

/** Who is asking: an authenticated user's name and groups (k8s.io/apiserver user.Info). */
export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
}

/** What is asked (k8s.io/apiserver authorizer.Attributes). */
export type Attributes =
  | {
      resourceRequest: true;
      verb: string;
      apiGroup: string;
      apiVersion: string;
      resource: string;
      subresource: string;
      namespace: string;
      name: string;
    }
  | { resourceRequest: false; verb: string; path: string };

/** Everything RBAC reads to decide: the four kinds as stored. */
export interface PolicySource {
  clusterRoleBindings(): Binding[];
  roleBindings(namespace: string): Binding[];
  clusterRole(name: string): Role | undefined;
  role(namespace: string, name: string): Role | undefined;
}

export interface Decision {
  allowed: boolean;
  /** Why not, when a binding named a role that does not exist (as RBAC's visitor reports it); else empty. */
  reason: string;
}
