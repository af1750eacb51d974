'use client';
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { type Tone, toneOf } from '@/lib/client/tone';
import { TONE_DOT } from './status-badge';

export interface Toast {
  id: number;
  title: string;
  message?: string;
  tone: Tone;
}
type Push = (t: Omit<Toast, 'id' | 'tone'> & { tone?: Tone | 'success' | 'error' }) => void;

const ToastContext = createContext<Push>(() => undefined);

/** Shows action results for a few seconds (errors longer) in a polite live region. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const push = useCallback<Push>(
    (t) => {
      const id = Date.now() + Math.random();
      const tone: Tone = t.tone === 'success' ? 'healthy' : t.tone === 'error' ? 'degraded' : toneOf(t.tone);
      setToasts((ts) => [...ts.slice(-3), { id, title: t.title, message: t.message, tone }]);
      setTimeout(() => dismiss(id), tone === 'degraded' ? 10_000 : 5000);
    },
    [dismiss],
  );
  const value = useMemo(() => push, [push]);
  return (
    <ToastContext.Provider value={value}>
      {children}
      <section
        aria-label="Notifications"
        aria-live="polite"
        className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-96 max-w-[calc(100vw-2rem)] flex-col gap-2"
      >
        {toasts.map((t) => (
          <div
            key={t.id}
            role="status"
            className="pointer-events-auto flex gap-3 rounded-lg border border-zinc-200 bg-white p-3 text-sm shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
          >
            <span aria-hidden="true" className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${TONE_DOT[t.tone]}`} />
            <div className="min-w-0 flex-1">
              <p className="font-medium">{t.title}</p>
              {t.message ? <p className="break-words text-zinc-600 dark:text-zinc-400">{t.message}</p> : null}
            </div>
            <button
              type="button"
              aria-label="Dismiss notification"
              onClick={() => dismiss(t.id)}
              className="self-start text-zinc-500 hover:text-zinc-900 dark:hover:text-zinc-100"
            >
              ×
            </button>
          </div>
        ))}
      </section>
    </ToastContext.Provider>
  );
}

export const useToast = (): Push => useContext(ToastContext);
