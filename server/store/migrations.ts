/**
 * Versioned schema changes. Each implementation lists its steps (its own SQL) in order, versions 1, 2, 3 …; a
 * database records the last version applied (SQLite `PRAGMA user_version`, PostgreSQL `schema_migrations`). Steps run
 * inside one transaction that holds the database's write lock, so two processes starting at once apply each step once.
 */
export interface Migration<Db> {
  version: number;
  /** What the step does, for the log. */
  name: string;
  up(db: Db): void | Promise<void>;
}

/** The last version of a list of steps (0 for none). */
export const latestVersion = (steps: ReadonlyArray<Migration<unknown>>): number =>
  steps.reduce((v, m) => Math.max(v, m.version), 0);

/**
 * The steps a database at `current` still needs, in order. Throws when the steps are not numbered 1, 2, 3 … or the
 * database was written by a newer version of the control center (its schema may not be read safely).
 */
export function pendingMigrations<Db>(steps: ReadonlyArray<Migration<Db>>, current: number): Migration<Db>[] {
  steps.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${i + 1} is numbered ${m.version}`);
  });
  const latest = steps.length;
  if (!Number.isInteger(current) || current < 0)
    throw new Error(`the database's schema version ${current} is not a version`);
  if (current > latest)
    throw new Error(
      `the database's schema version ${current} is newer than this control center knows (${latest}): upgrade it`,
    );
  return steps.slice(current);
}
