import path from 'node:path';
import Database from 'better-sqlite3';
import { apiLogin, expect, test, until } from '../lab-fixture';
import { createOwnRollout, deleteOwnRollout, rolloutOf } from '../own-rollout';
import { act, auditRows } from './attack-helpers';

/**
 * Attack class 8: refused actions flooded the audit log (one fsync'ed row each, the rate limit after the role
 * check), some refusals (CSRF, 422) were not audited at all, and an action went ahead when its audit entry could not
 * be written. Now refusals count against the user's limit first and repeat into one row with a count; every refusal
 * of a signed-in user is audited; an action is performed only once its intent is written.
 */
const NAME = 'audit-flood';

test.afterAll(async ({ lab }) => {
  await deleteOwnRollout(lab, NAME);
});

test('50 refused actions by a viewer are a bounded number of audit rows whose counts add up to 50', async ({
  lab,
}) => {
  const viewer = await apiLogin(lab.url, 'viewer');
  const admin = await apiLogin(lab.url, 'admin');
  const before = await rolloutOf(lab, 'webapp');
  for (let i = 0; i < 50; i++) {
    const r = await act(lab, viewer, 'promote');
    expect(r.status).toBe(403);
    expect(r.json.error?.message).toBe('your role (viewer) is read-only: ask an operator');
  }
  // Read by action and display name, as any audit reader would: the refusals, however they are stored.
  const rows = (await auditRows(lab, admin, { action: 'promote' })).filter(
    (r) => r.actor === 'viewer' && r.status === 403,
  );
  expect(rows.length).toBeLessThanOrEqual(2);
  expect(rows.reduce((n, r) => n + (r.count ?? 1), 0)).toBe(50);
  expect(rows.every((r) => r.status === 403 && r.subject === 'local:viewer')).toBe(true);
  expect(await rolloutOf(lab, 'webapp')).toEqual(before);
});

test('a CSRF refusal and a 422 of a signed-in user are in the audit log; nothing changed', async ({
  lab,
}) => {
  const operator = await apiLogin(lab.url, 'operator');
  const admin = await apiLogin(lab.url, 'admin');
  const before = await rolloutOf(lab, 'webapp');
  // A cross-site form post: no X-Requested-With, another site's Origin.
  const csrf = await act(lab, operator, 'abort', undefined, {
    headers: { 'x-requested-with': '', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
  });
  expect(csrf.status).toBe(403);
  expect(csrf.json.error).toEqual({
    code: 'csrf',
    message: 'cross-site request refused (Sec-Fetch-Site: cross-site)',
  });
  const bad = await act(lab, operator, 'faults', { scope: 'cluster', errorRate: 2 });
  expect(bad.status).toBe(422);
  expect(bad.json.error?.message).toContain('scope');
  const rows = await auditRows(lab, admin, { user: 'local:operator' });
  expect(rows.find((r) => r.action === 'abort' && r.status === 403)?.error).toBe(
    'csrf: cross-site request refused (Sec-Fetch-Site: cross-site)',
  );
  expect(rows.find((r) => r.action === 'faults' && r.status === 422)?.error).toMatch(
    /^invalid_input: .*scope/,
  );
  expect(await rolloutOf(lab, 'webapp')).toEqual(before);
});

test("with the audit store unwritable an operator's promote is 503 and the rollout unchanged; restored, it works", async ({
  lab,
}) => {
  test.setTimeout(150_000);
  await createOwnRollout(lab, NAME);
  const operator = await apiLogin(lab.url, 'operator');
  expect((await act(lab, operator, 'launch', { image: 'webapp:v1.1' }, { name: NAME })).status).toBe(200);
  await until(`${NAME} paused at step 1`, 45_000, async () => {
    const ro = await rolloutOf(lab, NAME);
    return ro.status?.currentStepIndex === 1 && ro.status.pauseConditions?.length ? true : undefined;
  });
  const before = await rolloutOf(lab, NAME);

  // A real fault: another writer holds the audit database's write lock (the control center's own file).
  const store = new Database(path.join(lab.dir, 'cc-data', 'control-center.db'));
  store.exec('BEGIN IMMEDIATE');
  let promote: Awaited<ReturnType<typeof act>>;
  try {
    promote = await act(lab, operator, 'promote', undefined, { name: NAME });
  } finally {
    store.exec('ROLLBACK');
    store.close();
  }
  expect(promote.status).toBe(503);
  expect(promote.json.error?.code).toBe('audit_unavailable');
  expect(promote.json.error?.message).toMatch(
    /^the audit store cannot be written \(the database is locked\): promote was not performed; nothing changed$/,
  );
  const after = await rolloutOf(lab, NAME);
  expect(after.spec).toEqual(before.spec);
  expect(after.status?.currentStepIndex).toBe(1);
  expect(after.status?.pauseConditions).toEqual(before.status?.pauseConditions);

  // The store writable again: the same promote goes through and moves the rollout on.
  const again = await act(lab, operator, 'promote', undefined, { name: NAME });
  expect(again.status, JSON.stringify(again.json)).toBe(200);
  await until(`${NAME} past step 1`, 30_000, async () =>
    ((await rolloutOf(lab, NAME)).status?.currentStepIndex ?? 0) > 1 ? true : undefined,
  );
  const admin = await apiLogin(lab.url, 'admin');
  const promotes = (await auditRows(lab, admin, { user: 'local:operator', action: 'promote' })).filter(
    (r) => r.rollout === NAME,
  );
  expect(promotes.map((r) => r.status)).toEqual([200]);
});
