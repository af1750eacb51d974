/**
 * What a client may read of a store failure: a short class of the cause, never the driver's message (which names
 * the database host, port, user or file). The full message goes to the server log.
 */
export function storeFailureReason(err: unknown): string {
  const e = err as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
  const cause = (e?.cause ?? {}) as { code?: unknown; message?: unknown };
  const code = String(e?.code ?? cause.code ?? '');
  const text = `${String(e?.message ?? '')} ${String(cause.message ?? '')}`;
  if (/^SQLITE_(BUSY|LOCKED)/.test(code) || /database is locked/i.test(text)) return 'the database is locked';
  if (
    code === 'SQLITE_FULL' ||
    code === 'ENOSPC' ||
    code === '53100' ||
    /disk (is )?full|no space/i.test(text)
  )
    return 'the disk is full';
  if (code === 'SQLITE_READONLY' || code === 'EROFS' || /read-?only/i.test(text))
    return 'the database is read-only';
  if (/not open|closed|ended/i.test(text)) return 'the database is closed';
  if (
    /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|57P0[1-3])$/.test(code) ||
    /\bconnect\b/i.test(text)
  )
    return 'the database is unreachable';
  if (code === '57014' || /timeout|timed out/i.test(text)) return 'the database did not answer in time';
  return 'the write failed';
}
