import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../runtime/testing/test-runtime';
import { SqliteStore } from '../store/sqlite/sqlite-store';
import { authenticateClaims } from './session';

/** A sessions table that fails between the two reads of an OIDC check: the answer is the fail-closed one. */
let s: SqliteStore;
let rt: TestRuntime;
const dir = mkdtempSync(path.join(tmpdir(), 'cc-session-fail-'));
beforeAll(() => {
  // OIDC configured; its issuer is never asked (a session without tokens is ended without a call).
  const file = path.join(dir, 'control-center.yaml');
  writeFileSync(file, ['auth:', '  oidc:', '    issuer: http://127.0.0.1:9', '    clientId: cc'].join('\n'));
  vi.stubEnv('CONTROL_CENTER_CONFIG', file);
  s = SqliteStore.open(':memory:');
  rt = startTestRuntime({ store: () => s });
});
afterAll(async () => {
  await rt?.done();
  vi.unstubAllEnvs();
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('authenticateClaims when the session store fails', () => {
  it('the re-read after the group check rejects: "the session store cannot be read", not an exception', async () => {
    const now = Date.now();
    const row = await s.sessions.create(
      { subject: 'oidc:https://idp#u1', name: 'u1', provider: 'oidc', maxAgeSeconds: 3600 },
      now,
    );
    // Groups checked just now: no call to the provider, straight to the second read.
    await s.sessions.recordGroupCheck(row.id, ['sre'], { accessToken: 'a' }, now);
    const realGet = s.sessions.get.bind(s.sessions);
    // The fault must strike between two reads of one request, which a real database cannot be made to do on cue.
    const get = vi
      .spyOn(s.sessions, 'get')
      .mockImplementationOnce(realGet)
      .mockRejectedValueOnce(new Error('SQLITE_IOERR: disk I/O error'));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const check = await authenticateClaims({
        sub: 'oidc:https://idp#u1',
        name: 'u1',
        provider: 'oidc',
        sid: row.id,
      });
      expect(check).toEqual({ who: null, reason: 'the session store cannot be read: try again later' });
      expect(get).toHaveBeenCalledTimes(2);
      expect(errors.mock.calls.flat().join(' ')).toContain('disk I/O error');
    } finally {
      get.mockRestore();
      errors.mockRestore();
    }
  });

  it('ending a session the provider no longer vouches for fails in the database: the same answer', async () => {
    // Signed in 20 minutes ago: its groups are due for a check.
    const now = Date.now();
    const row = await s.sessions.create(
      { subject: 'oidc:https://idp#u2', name: 'u2', provider: 'oidc', maxAgeSeconds: 3600 },
      now - 20 * 60_000,
    );
    s.db.exec(
      "CREATE TRIGGER refuse_revoke BEFORE UPDATE ON sessions BEGIN SELECT RAISE(ABORT, 'sessions refused'); END",
    );
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const check = await authenticateClaims({
        sub: 'oidc:https://idp#u2',
        name: 'u2',
        provider: 'oidc',
        sid: row.id,
      });
      expect(check).toEqual({ who: null, reason: 'the session store cannot be read: try again later' });
      expect(errors.mock.calls.flat().join(' ')).toContain('sessions refused');
      expect((await s.sessions.get(row.id))?.revokedAt).toBeNull();
    } finally {
      s.db.exec('DROP TRIGGER refuse_revoke');
      errors.mockRestore();
    }
  });

  it('the first read rejects: the same answer', async () => {
    const get = vi.spyOn(s.sessions, 'get').mockRejectedValueOnce(new Error('connection terminated'));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const check = await authenticateClaims({ sub: 'local:bob', name: 'bob', provider: 'local', sid: 'x' });
      expect(check).toEqual({ who: null, reason: 'the session store cannot be read: try again later' });
    } finally {
      get.mockRestore();
      errors.mockRestore();
    }
  });
});
