/**
 * Whether a store error will fail the same way however often the write is tried again: the data itself is refused.
 * PostgreSQL: SQLSTATE class 22 (data exception, e.g. 22021 a NUL byte in text) or 23 (integrity constraint
 * violation). SQLite: SQLITE_CONSTRAINT (and its extended codes), SQLITE_MISMATCH, SQLITE_TOOBIG. The code is looked
 * for on the error and on its causes (the PostgreSQL store wraps the driver's error as `cause`).
 */
export function isPermanentStoreError(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && PERMANENT.test(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

const PERMANENT = /^(2[23][0-9A-Z]{3}|SQLITE_CONSTRAINT(_[A-Z]+)?|SQLITE_MISMATCH|SQLITE_TOOBIG)$/;
