/**
 * The first admin of a fresh install: a generated password (shown once by the caller) and its argon2id hash, the only
 * form that is stored. Shared by `./run.sh local` (first-admin.ts) and `./run.sh setup` (scripts/cluster/admin-config.ts).
 */
import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';

export interface FirstAdmin {
  password: string;
  user: { username: 'admin'; passwordHash: string; role: 'admin' };
}

export async function firstAdmin(): Promise<FirstAdmin> {
  const password = randomBytes(15).toString('base64url');
  return { password, user: { username: 'admin', passwordHash: await hash(password), role: 'admin' } };
}
