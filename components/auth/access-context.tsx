'use client';
import { createContext, type ReactNode, useContext } from 'react';
import { type Access, canAct, canAudit } from '@/lib/auth/roles';

const AccessContext = createContext<Access | null>(null);

/** Who is signed in (name, role, scopes; no secrets), from the server's session check, for every component. */
export function AccessProvider({ access, children }: { access: Access | null; children: ReactNode }) {
  return <AccessContext.Provider value={access}>{children}</AccessContext.Provider>;
}

export function useAccess(): Access | null {
  return useContext(AccessContext);
}

/**
 * Why the signed-in user may not run `action` in `namespace` of kube context `context` (undefined: the default one):
 * their role, namespaces or contexts; null when they may.
 */
export function useRoleReason(namespace: string, context?: string): (action: string) => string | null {
  const access = useAccess();
  return (action) => {
    const d = canAct(access, action, context ?? access?.defaultContext ?? '', namespace);
    return d.ok ? null : d.reason;
  };
}

export const useCanAudit = (): boolean => canAudit(useAccess()).ok;
