/**
 * `./run.sh local`: writes the lab's CONTROL_CENTER_CONFIG with a first admin, once. The generated password is
 * printed on stdout (the caller shows it once); only its argon2 hash is stored. Usage: first-admin.ts <file>
 */
import { existsSync, writeFileSync } from 'node:fs';
import { firstAdmin } from './first-admin-user';

const file = process.argv[2];
if (!file) {
  console.error('usage: first-admin.ts <config file>');
  process.exit(2);
}
if (existsSync(file)) process.exit(0);
void firstAdmin().then(({ password, user }) => {
  const yaml = [
    '# Written by ./run.sh local (once). The lab control center: auth.lab lets it run without a fixed AUTH_SECRET.',
    '# Add users with: npm run hash-password   (then paste the hash below; never a plain password)',
    'auth:',
    '  lab: true',
    '  users:',
    `    - username: ${user.username}`,
    `      passwordHash: '${user.passwordHash}'`,
    `      role: ${user.role}`,
    '',
  ].join('\n');
  writeFileSync(file, yaml, { mode: 0o600 });
  process.stdout.write(password);
});
