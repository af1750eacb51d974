'use client';
import { type ReactNode, useEffect, useId, useRef } from 'react';

export interface ConfirmRequest {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
}

/**
 * A modal confirmation (native <dialog>: focus trap, Esc to cancel). The title names the rollout; the confirm button
 * says what will happen.
 */
export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest | null; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (request && !d.open) d.showModal();
    if (!request && d.open) d.close();
  }, [request]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto w-full max-w-md rounded-lg border border-zinc-300 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
    >
      {request ? (
        <form
          method="dialog"
          className="space-y-4 p-5"
          onSubmit={(e) => {
            e.preventDefault();
            request.onConfirm();
            onClose();
          }}
        >
          <h2 id={titleId} className="text-base font-semibold">
            {request.title}
          </h2>
          <div className="text-sm leading-6 text-zinc-700 dark:text-zinc-300">{request.body}</div>
          <div className="flex justify-end gap-2">
            <button
              type="button"
              onClick={onClose}
              className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm dark:border-zinc-700"
            >
              Cancel
            </button>
            <button
              type="submit"
              // biome-ignore lint/a11y/noAutofocus: the dialog's default action gets focus, as native dialogs do
              autoFocus
              className={`rounded-md px-3 py-1.5 text-sm font-medium text-white ${request.danger ? 'bg-degraded hover:bg-red-700' : 'bg-zinc-900 hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900'}`}
            >
              {request.confirmLabel}
            </button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
