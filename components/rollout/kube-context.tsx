'use client';
import { createContext, type ReactNode, useContext } from 'react';

const KubeContextName = createContext<string | undefined>(undefined);

/** The kube context a rollout page talks to (undefined: the default one); every API call of the page carries it. */
export function KubeContextProvider({ context, children }: { context?: string; children: ReactNode }) {
  return <KubeContextName.Provider value={context}>{children}</KubeContextName.Provider>;
}

export const useKubeContext = (): string | undefined => useContext(KubeContextName);
