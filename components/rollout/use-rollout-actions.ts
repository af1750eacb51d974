'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import type { ActionName } from '@/lib/actions/catalogue';
import { postAction } from '@/lib/client/api';
import { timelineQueryKey } from '@/lib/client/timeline-key';
import type { ConfirmRequest } from '../ui/confirm-dialog';
import { useToast } from '../ui/toast';
import { useKubeContext } from './kube-context';

export interface RolloutActions {
  /** Sends an action now; the toast names what happened (the page itself updates from the stream). */
  run: (action: ActionName, body?: unknown, label?: string) => Promise<boolean>;
  /** Asks for confirmation first (destructive actions). */
  ask: (req: ConfirmRequest) => void;
  confirm: ConfirmRequest | null;
  closeConfirm: () => void;
  busy: ActionName | null;
}

export function useRolloutActions(namespace: string, name: string): RolloutActions {
  const toast = useToast();
  const context = useKubeContext();
  const [busy, setBusy] = useState<ActionName | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const client = useQueryClient();
  const run = useCallback(
    async (action: ActionName, body: unknown = {}, label: string = action) => {
      setBusy(action);
      const r = await postAction(namespace, name, action, body, context);
      setBusy(null);
      // The action's timeline line (who, what, the exact patch, or why it was refused) is stored before the answer.
      if (r.status !== 0)
        void client.refetchQueries({ queryKey: timelineQueryKey(context, namespace, name) });
      if (r.ok) toast({ title: `${label}: done`, message: `${namespace}/${name}`, tone: 'success' });
      else toast({ title: `${label} failed`, message: r.error.message, tone: 'error' });
      return r.ok;
    },
    [namespace, name, context, toast, client],
  );
  const closeConfirm = useCallback(() => setConfirm(null), []);
  // One object while nothing changes, so memoized panels that take it skip the page's re-renders.
  return useMemo(
    () => ({ run, ask: setConfirm, confirm, closeConfirm, busy }),
    [run, confirm, closeConfirm, busy],
  );
}
