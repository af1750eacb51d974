import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import type { Binding, PolicySource, Role } from './types';

const R = {
  roles: resource('roles'),
  rolebindings: resource('rolebindings'),
  clusterroles: resource('clusterroles'),
  clusterrolebindings: resource('clusterrolebindings'),
};

/** RBAC's view of the lab's store: the four kinds, read at the moment of each decision. */
export function storePolicy(store: LabStore): PolicySource {
  return {
    clusterRoleBindings: () => store.list(R.clusterrolebindings).items as unknown as Binding[],
    roleBindings: (ns) => store.list(R.rolebindings, { namespace: ns }).items as unknown as Binding[],
    clusterRole: (name) => store.get(R.clusterroles, undefined, name) as unknown as Role | undefined,
    role: (ns, name) => store.get(R.roles, ns, name) as unknown as Role | undefined,
  };
}
