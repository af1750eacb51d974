import { ACTION_NAMES } from '@/lib/actions/catalogue';

const field =
  'mt-1 block w-40 rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900';

/** Filters as a plain GET form (works without JavaScript); the export link carries the same filters. */
export function AuditFilters({
  values,
  exportHref,
  error,
}: {
  values: Record<string, string>;
  exportHref: string;
  error: string | null;
}) {
  return (
    <form method="get" action="/audit" aria-label="Audit filters" className="flex flex-wrap items-end gap-3">
      <label className="text-sm">
        User
        <input
          name="user"
          defaultValue={values.user ?? ''}
          placeholder="local:alice"
          title="The subject: local:<user> or oidc:<issuer>#<sub> (a bare name means the local user)"
          className={field}
        />
      </label>
      <label className="text-sm">
        Namespace
        <input name="namespace" defaultValue={values.namespace ?? ''} className={field} />
      </label>
      <label className="text-sm">
        Action
        <select name="action" defaultValue={values.action ?? ''} className={field}>
          <option value="">any</option>
          {ACTION_NAMES.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm">
        Since
        <input name="since" type="date" defaultValue={values.since ?? ''} className={field} />
      </label>
      <label className="text-sm">
        Until
        <input name="until" type="date" defaultValue={values.until ?? ''} className={field} />
      </label>
      <button
        type="submit"
        className="rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:bg-zinc-900"
      >
        Filter
      </button>
      <a href={exportHref} className="px-1 py-1.5 text-sm underline" download>
        Export JSON lines
      </a>
      {error ? (
        <p role="alert" className="w-full text-sm text-degraded">
          {error}
        </p>
      ) : null}
    </form>
  );
}
