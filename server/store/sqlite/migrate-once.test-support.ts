/**
 * One process of the migration race (server/store/migrate-race.test.ts): says `ready`, waits until the `go` file
 * exists, then opens and migrates the database and prints `{from, version}` as JSON.
 * Usage: node --import tsx migrate-once.test-support.ts <database file> <go file>
 */
import fs from 'node:fs';
import { connectSqlite, migrateSqlite } from './sqlite-migrate';

const [file, go] = process.argv.slice(2);
if (!file || !go) throw new Error('usage: migrate-once <database file> <go file>');

const deadline = Date.now() + 20_000;
process.stdout.write('ready\n');
while (!fs.existsSync(go)) {
  if (Date.now() > deadline) throw new Error(`no ${go} within 20 s`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
}
const db = connectSqlite(file);
// `from`: the version this process found under the write lock (0: it applied every step).
const { from } = migrateSqlite(db);
const version = db.pragma('user_version', { simple: true });
db.close();
process.stdout.write(`${JSON.stringify({ from, version })}\n`);
