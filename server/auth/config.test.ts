import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verify } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { parseControlCenterConfig } from '../config/control-center-config';
import { resolvePrincipal } from './principal';

describe('auth configuration', () => {
  it('refuses a plain-text password and names the field', () => {
    expect(() =>
      parseControlCenterConfig(
        'auth:\n  users:\n    - {username: bob, role: admin, passwordHash: hunter2}\n',
        'cc.yaml',
      ),
    ).toThrow(/^cc\.yaml: auth\.users\.0\.passwordHash: must be an argon2 hash/);
    expect(() =>
      parseControlCenterConfig('auth:\n  groups:\n    - {group: sre, role: root}\n', 'cc.yaml'),
    ).toThrow(/auth\.groups\.0\.role: must be one of viewer, operator, admin/);
  });

  it('maps OIDC groups to the highest role; only acting bindings widen the namespaces', () => {
    const auth = parseControlCenterConfig(
      [
        'auth:',
        '  groups:',
        '    - {group: sre, role: operator, namespaces: [demo]}',
        '    - {group: all, role: viewer, namespaces: [shop]}',
        '    - {group: pay, role: operator, namespaces: [pay]}',
      ].join('\n'),
    ).auth;
    const p = (groups: string[]) =>
      resolvePrincipal({ sub: 'oidc:a', name: 'A', provider: 'oidc', groups }, auth);
    expect(p(['all', 'sre', 'pay'])).toMatchObject({ role: 'operator', namespaces: ['demo', 'pay'] });
    expect(p(['all'])).toMatchObject({ role: 'viewer' });
    expect(p(['nobody'])).toMatchObject({ role: null });
    // A local user removed from the file has no session any more.
    expect(resolvePrincipal({ sub: 'gone', name: 'gone', provider: 'local' }, auth)).toBeNull();
  });

  it('./run.sh local writes a first admin once: a random password, only its hash on disk (0600)', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cc-admin-')), 'control-center.yaml');
    // Under umask 000, so the file's mode is exactly what the script asks for (no umask narrows it to 0600 for it).
    const run = () =>
      execFileSync(
        'bash',
        ['-c', 'umask 000 && exec node --import tsx scripts/auth/first-admin.ts "$1"', 'first-admin', file],
        { cwd: path.resolve(__dirname, '../..'), encoding: 'utf8' },
      );
    const password = run();
    expect(password).toMatch(/^[\w-]{20}$/);
    // Only its owner may read or write it: mode 0600 exactly.
    expect((statSync(file).mode & 0o777).toString(8)).toBe('600');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(password);
    const cfg = parseControlCenterConfig(text);
    expect(cfg.auth.lab).toBe(true);
    const admin = cfg.auth.users[0];
    expect(admin?.role).toBe('admin');
    expect(await verify(admin?.passwordHash ?? '', password)).toBe(true);
    expect(run()).toBe(''); // never again: the file exists
  });
});
