'use client';
import { createContext, type ReactNode, useContext } from 'react';
import { useRoleReason } from '../auth/access-context';
import { useKubeContext } from './kube-context';

/** Per action, why the control center's own Kubernetes identity may not run it here (null: it may). */
export type IdentityReasons = Partial<Record<string, string | null>>;

const IdentityContext = createContext<IdentityReasons>({});

/** The API server's answers for this rollout's namespace (SelfSubjectAccessReview, asked by the page's server). */
export function IdentityAccessProvider({
  reasons,
  children,
}: {
  reasons: IdentityReasons;
  children: ReactNode;
}) {
  return <IdentityContext.Provider value={reasons}>{children}</IdentityContext.Provider>;
}

/**
 * Why `action` cannot run in `namespace` (of the page's kube context): the signed-in user's role first, then what the control center's service
 * account may not do there (the API server would refuse it), or null.
 */
export function useActionReason(namespace: string): (action: string) => string | null {
  // The page's kube context: a scope on one context never greenlights the same namespace on another.
  const role = useRoleReason(namespace, useKubeContext());
  const identity = useContext(IdentityContext);
  return (action) => role(action) ?? identity[action] ?? null;
}
