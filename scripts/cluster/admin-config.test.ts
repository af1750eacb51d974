/**
 * The first admin setup creates for the kind cluster: the CLI setup calls writes a config the control center's own
 * parser accepts, and its login (server/auth/users.ts, argon2) accepts the printed password and nothing else.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import { parseControlCenterConfig } from '@/server/config/control-center-config';
import { adminConfig } from './admin-config';
import { ROOT } from './manifests-helpers';
import { pathWith, standIns } from './tool-stand-ins';

const CONFIGMAP = path.join(ROOT, 'manifests/control-center/configmap.yaml');

function cli(...args: string[]) {
  const res = spawnSync('node', ['--import', 'tsx', path.join(__dirname, 'admin-config-cli.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(res.status, res.stderr).toBe(0);
  return res.stdout;
}

/** The login of the control center, reading CONTROL_CENTER_CONFIG from this file (fresh modules: it is cached). */
async function loginWith(file: string, username: string, password: string) {
  vi.resetModules();
  vi.stubEnv('CONTROL_CENTER_CONFIG', file);
  const { verifyLocalUser } = await import('@/server/auth/users');
  return verifyLocalUser(username, password);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('admin-config-cli.ts (what setup runs)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cc-admin-'));

  it('the shipped ConfigMap names nobody, so setup creates an admin whose password the server login accepts', async () => {
    expect(cli('check', CONFIGMAP)).toBe('none\n');
    const out = path.join(dir, 'config.yaml');
    const line = cli('write', CONFIGMAP, '-', out);
    const password = /^created (\S+)\n$/.exec(line)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain(password);
    const cfg = parseControlCenterConfig(text, out);
    expect(cfg.auth.users).toEqual([
      { username: 'admin', passwordHash: expect.stringMatching(/^\$argon2id\$/), role: 'admin' },
    ]);
    // the rest of the ConfigMap's config is carried over
    expect(cfg.links.grafana.url).toBe('http://127.0.0.1:3000');
    expect(cfg.namespaces).toEqual(['demo']);
    expect(await loginWith(out, 'admin', password ?? '')).toEqual({ username: 'admin' });
    expect(await loginWith(out, 'admin', `${password}x`)).toBeNull();
    expect(cli('sign-in', out)).toBe('user admin (admin)\n');
  });

  it('a re-run keeps the admin of the current Secret: same hash, no new password', () => {
    const first = path.join(dir, 'first.yaml');
    cli('write', CONFIGMAP, '-', first);
    const again = path.join(dir, 'again.yaml');
    expect(cli('write', CONFIGMAP, first, again)).toBe('kept user admin (admin)\n');
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(first, 'utf8'));
  });
});

describe('./run.sh dashboards: how to sign in, read from the Secret the pod mounts', () => {
  function login(secretConfig: string | null) {
    const data = secretConfig === null ? '' : Buffer.from(secretConfig).toString('base64');
    const bin = standIns([], {
      // the API server's answer to the one read: the Secret's data (base64), or NotFound
      kubectl: [
        'case "$*" in',
        '  "--context kind-pdcc -n control-center get secret control-center-config -o jsonpath={.data.config\\\\.yaml}")',
        secretConfig === null
          ? '    echo \'Error from server (NotFound): secrets "control-center-config" not found\' >&2; exit 1 ;;'
          : `    printf '%s' '${data}' ;;`,
        '  *) echo "kubectl stand-in: unexpected $*" >&2; exit 97 ;;',
        'esac',
      ].join('\n'),
    });
    const res = spawnSync(
      'bash',
      [
        '-c',
        `ROOT=${ROOT}; source scripts/lib.sh; source scripts/cluster/dashboards.sh; DRY_RUN=0; control_center_login`,
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { NODE_ENV: 'test', PATH: pathWith(bin), HOME: tmpdir() },
        timeout: 60_000,
      },
    );
    expect(res.status, res.stderr).toBe(0);
    return res.stdout;
  }

  it('after setup made the admin', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'cc-login-')), 'config.yaml');
    cli('write', CONFIGMAP, '-', out);
    expect(login(readFileSync(out, 'utf8'))).toMatch(
      /^sign in with user admin \(admin\); admin's password is the one \.\/run\.sh setup printed once \(forgot it\? kubectl --context kind-pdcc -n control-center delete secret control-center-config, then \.\/run\.sh setup prints a new one\)\n$/,
    );
  });

  it('with OIDC only', () => {
    const cfg = stringify({
      auth: { oidc: { issuer: 'https://sso.example.com', clientId: 'cc', name: 'Example SSO' } },
    });
    expect(login(cfg)).toBe('sign in with the "Example SSO" button (OIDC https://sso.example.com)\n');
  });

  it('before setup', () => {
    expect(login(null)).toBe(
      'no Secret control-center-config: run ./run.sh setup (it creates the first admin)\n',
    );
  });
});

describe('adminConfig', () => {
  const withAuth = (auth: Record<string, unknown>) => {
    const cm = readFileSync(CONFIGMAP, 'utf8');
    const text = `${stringify({ namespaces: ['demo'], auth })}`;
    return cm.replace(/config\.yaml: \|\n[\s\S]*$/, `config.yaml: |\n${text.replace(/^/gm, '    ')}`);
  };

  it('a ConfigMap with OIDC or users is copied as is: no admin', async () => {
    const oidc = withAuth({
      oidc: { issuer: 'https://sso.example.com', clientId: 'cc', name: 'Example SSO' },
    });
    const make = vi.fn();
    const res = await adminConfig(oidc, null, make);
    expect(res).toMatchObject({
      action: 'configured',
      how: 'the "Example SSO" button (OIDC https://sso.example.com)',
    });
    expect(make).not.toHaveBeenCalled();
    const hash = '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA';
    const users = withAuth({ users: [{ username: 'ops', passwordHash: hash, role: 'operator' }] });
    expect(await adminConfig(users, null, make)).toMatchObject({
      action: 'configured',
      how: 'user ops (operator)',
    });
  });

  it('a ConfigMap that is not a valid CONTROL_CENTER_CONFIG is refused, naming the field', async () => {
    const bad = withAuth({ users: [{ username: 'x', passwordHash: 'plain-password', role: 'admin' }] });
    await expect(adminConfig(bad, null)).rejects.toThrow(/passwordHash/);
  });

  it('a current Secret that is not valid YAML config is replaced by a new admin', async () => {
    const res = await adminConfig(readFileSync(CONFIGMAP, 'utf8'), 'auth: [not, a, map]');
    expect(res.action).toBe('created');
  });
});
