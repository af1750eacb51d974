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
      resolvePrincipal({ sub: 'oidc:a', name: 'A', provider: 'oidc', groups }, auth, 'kind-a');
    expect(p(['all', 'sre', 'pay'])).toMatchObject({
      role: 'operator',
      scopes: [{ context: 'kind-a', namespaces: ['demo', 'pay'] }],
    });
    expect(p(['all'])).toMatchObject({ role: 'viewer', scopes: [] });
    expect(p(['nobody'])).toMatchObject({ role: null });
    // A local user removed from the file has no session any more.
    expect(resolvePrincipal({ sub: 'gone', name: 'gone', provider: 'local' }, auth, 'kind-a')).toBeNull();
  });

  it('scopes are per kube context: `namespaces:` means the default context only, other contexts are named', () => {
    const cfg = parseControlCenterConfig(
      [
        'contexts: [{name: kind-a}, {name: kind-b}, {name: kind-c}]',
        'auth:',
        '  groups:',
        '    - {group: a-demo, role: operator, scopes: [{context: kind-a, namespaces: [demo]}]}',
        '    - {group: b-shop, role: operator, scopes: [{context: kind-b, namespaces: [shop]}, {context: kind-a, namespaces: [pay]}]}',
        '    - {group: any-ops, role: operator, scopes: [{context: "*", namespaces: [ops]}]}',
        '    - {group: legacy, role: operator, namespaces: [demo]}',
        '    - {group: anything, role: operator}',
      ].join('\n'),
    );
    const p = (...groups: string[]) =>
      resolvePrincipal({ sub: 'oidc:a', name: 'A', provider: 'oidc', groups }, cfg.auth, 'kind-a');
    // Bindings merge per context.
    expect(p('a-demo', 'b-shop')?.scopes).toEqual([
      { context: 'kind-a', namespaces: ['demo', 'pay'] },
      { context: 'kind-b', namespaces: ['shop'] },
    ]);
    expect(p('any-ops')?.scopes).toEqual([{ context: '*', namespaces: ['ops'] }]);
    // The shorthand, and an omitted scope, stay on the default context (fail-closed).
    expect(p('legacy')?.scopes).toEqual([{ context: 'kind-a', namespaces: ['demo'] }]);
    expect(p('anything')?.scopes).toEqual([{ context: 'kind-a', namespaces: '*' }]);
  });

  it('refuses a scope on a context that is not configured, and scopes together with namespaces', () => {
    const user =
      "{username: op, role: operator, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$gk/kDcbp2wcA5f7Ic203gA$vAxzdmM6gZ7DqauWtMTBrpGZCHBb4hu+8xG9hy02Zeo'";
    expect(() =>
      parseControlCenterConfig(
        `contexts: [{name: kind-a}]\nauth:\n  users:\n    - ${user}, scopes: [{context: kind-b, namespaces: [demo]}]}\n`,
        'cc.yaml',
      ),
    ).toThrow(/auth\.users\.0\.scopes\.0\.context: no context "kind-b" in contexts \(configured: kind-a/);
    expect(() =>
      parseControlCenterConfig(
        `auth:\n  users:\n    - ${user}, namespaces: [demo], scopes: [{context: kind-a, namespaces: [demo]}]}\n`,
        'cc.yaml',
      ),
    ).toThrow(/auth\.users\.0\.scopes: set scopes or namespaces/);
    expect(() =>
      parseControlCenterConfig(
        'auth:\n  groups:\n    - {group: g, role: operator, scopes: [{context: kind-a, namespaces: []}]}\n',
        'cc.yaml',
      ),
    ).toThrow(/auth\.groups\.0\.scopes\.0\.namespaces/);
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
