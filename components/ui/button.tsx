'use client';
import { type ButtonHTMLAttributes, useId } from 'react';

const VARIANTS = {
  default:
    'border-zinc-300 bg-white text-zinc-900 hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800',
  primary: 'border-transparent bg-zinc-900 text-white hover:bg-zinc-700 dark:bg-zinc-100 dark:text-zinc-900',
  danger: 'border-degraded/50 bg-white text-degraded hover:bg-degraded/10 dark:bg-zinc-900 dark:text-red-400',
} as const;

export type ButtonVariant = keyof typeof VARIANTS;

/**
 * A button that, when disabled, says why: the reason is its tooltip and its accessible description
 * (aria-describedby), so screen readers and hover both tell it. `busy` (an action is running): dimmed and deaf to
 * clicks, but not disabled (`aria-disabled`), so a focused button keeps the user's focus; a disabled one would lose it.
 */
export function Button({
  variant = 'default',
  disabledReason,
  className = '',
  disabled,
  busy = false,
  children,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: ButtonVariant;
  disabledReason?: string | null;
  busy?: boolean;
}) {
  const id = useId();
  const off = Boolean(disabled || disabledReason);
  const why = off && disabledReason ? disabledReason : null;
  const waiting = busy && !off;
  return (
    <>
      <button
        type="button"
        {...rest}
        disabled={off}
        aria-disabled={waiting || undefined}
        // Busy: a click does nothing (not even a submit button's form submission).
        onClick={waiting ? (e) => e.preventDefault() : rest.onClick}
        title={why ? `Not now: ${why}` : rest.title}
        aria-describedby={why ? id : undefined}
        className={`inline-flex items-center gap-1 rounded-md border px-3 py-1.5 text-sm font-medium disabled:cursor-not-allowed disabled:opacity-45 aria-disabled:cursor-wait aria-disabled:opacity-45 ${VARIANTS[variant]} ${className}`}
      >
        {children}
      </button>
      {why ? (
        <span id={id} className="sr-only">
          Not now: {why}
        </span>
      ) : null}
    </>
  );
}
