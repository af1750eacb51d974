import { createInterface } from 'node:readline';
import { migratePostgres } from '../pg-migrate';
import { createPgPool } from '../pg-pool';

/**
 * One process of the migration race test: connects to the database of argv[2], prints `ready`, waits for `go` on
 * stdin (so every process migrates at the same moment), migrates, prints `{"applied":[...]}` and exits 0.
 */
async function main(): Promise<void> {
  const url = process.argv[2];
  if (!url) throw new Error('usage: migrate-process <database url>');
  const pool = createPgPool(url);
  try {
    await pool.query('SELECT 1');
    process.stdout.write('ready\n');
    const lines = createInterface({ input: process.stdin });
    for await (const line of lines) if (line.trim() === 'go') break;
    lines.close();
    const applied = await migratePostgres(pool);
    process.stdout.write(`${JSON.stringify({ applied })}\n`);
  } finally {
    await pool.end();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`migrate-process: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
