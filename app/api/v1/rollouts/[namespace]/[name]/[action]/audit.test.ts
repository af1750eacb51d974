import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditDb, openAuditDb, setAuditDb } from '@/server/audit/audit-db';
import { queryAudit } from '@/server/audit/audit-query';
import { flushRefusals } from '@/server/audit/refusals';
import { inProgress, readRollout, seedDemo, setRollout } from '@/server/kube/testing/demo-seed';
import { type LabKube, R, startLabKube } from '@/server/kube/testing/lab-kube';
import { post } from './post-helper.test-support';

/**
 * The audit log holds every refusal of a signed-in user (role, CSRF, unknown action, bad input), and an action is
 * performed only once its intent is written: with the audit store closed an action is 503 and changes nothing.
 */
let k: LabKube;
const dir = mkdtempSync(path.join(tmpdir(), 'cc-audit-first-'));
let n = 0;
const freshDb = () => setAuditDb(openAuditDb(path.join(dir, `audit-${n++}.db`)));

beforeAll(async () => {
  k = await startLabKube();
  process.env.KUBECONFIG = k.lab.kubeconfig;
  seedDemo(k.lab);
});
afterAll(async () => {
  await k?.close();
});
beforeEach(() => freshDb());

const entries = async (user: string) => {
  await flushRefusals();
  return queryAudit({ user, limit: 1000, format: 'json' });
};

describe('every refusal of a signed-in user is audited', () => {
  it('403 CSRF, 404 unknown action, 422 body, 422 path: one entry each with the subject and the reason', async () => {
    const csrf = await post('abort', undefined, 'demo', 'webapp', 'operator', {
      'sec-fetch-site': 'cross-site',
    });
    expect(csrf.status).toBe(403);
    expect((await post('explode', undefined, 'demo', 'webapp', 'operator')).status).toBe(404);
    expect((await post('faults', { scope: 'cluster' }, 'demo', 'webapp', 'operator')).status).toBe(422);
    expect((await post('promote', undefined, 'demo', 'WEBAPP', 'operator')).status).toBe(422);
    const got = (await entries('local:operator')).map((e) => [
      e.action,
      e.rollout,
      e.status,
      e.error?.split(':')[0],
    ]);
    expect(got.sort()).toEqual(
      [
        ['abort', 'webapp', 403, 'csrf'],
        ['explode', 'webapp', 404, 'not_found'],
        ['faults', 'webapp', 422, 'invalid_input'],
        ['promote', 'WEBAPP', 422, 'invalid_input'],
      ].sort(),
    );
    expect(
      (await entries('local:operator')).every(
        (e) => e.subject === 'local:operator' && e.actor === 'operator',
      ),
    ).toBe(true);
  });

  it('400 not JSON, 413 too large, 422 body: audited with the body as sent (none when it could not be read)', async () => {
    expect((await post('restart', '{not json')).status).toBe(400);
    expect((await post('launch', { image: 'x'.repeat(70 * 1024) })).status).toBe(413);
    expect((await post('undo', { revision: 0 })).status).toBe(422);
    const got = (await entries('operator')).map((e) => [
      e.action,
      e.status,
      e.error?.split(':')[0],
      e.request,
    ]);
    expect(got.sort()).toEqual(
      [
        ['restart', 400, 'invalid_json', null],
        ['launch', 413, 'payload_too_large', null],
        ['undo', 422, 'invalid_input', { revision: 0 }],
      ].sort(),
    );
  });

  it('an unknown load target is 422 naming `target` and the configured names, audited, no Job', async () => {
    const r = await post('load', { rps: 5, durationSeconds: 5, target: 'metadata' });
    expect(r.status).toBe(422);
    expect(r.json.error.details).toEqual([
      { field: 'target', message: 'unknown load target "metadata" (configured: gateway)' },
    ]);
    expect((await entries('operator')).map((e) => [e.action, e.status, e.request])).toEqual([
      ['load', 422, { rps: 5, durationSeconds: 5, target: 'metadata' }],
    ]);
    expect(k.lab.store.list(R.job, { namespace: 'demo' }).items).toEqual([]);
  });
});

describe('an action whose audit entry cannot be written is not performed', () => {
  it('audit store closed: promote is 503 naming the audit store, the rollout unchanged; reopened: 200, entry done', async () => {
    const pause = [{ reason: 'CanaryPauseStep', startTime: '2024-05-01T10:00:00Z' }];
    setRollout(k.lab, 'v1.1', { ...inProgress, currentStepIndex: 1, pauseConditions: pause });
    const before = JSON.stringify(readRollout(k.lab));
    // A real fault: the database handle is closed, as when the store's disk went away.
    auditDb().close();
    const r = await post('promote');
    expect(r.status).toBe(503);
    expect(r.json.error.code).toBe('audit_unavailable');
    expect(r.json.error.message).toMatch(
      /^the audit store cannot be written \(.+\): promote was not performed/,
    );
    expect(JSON.stringify(readRollout(k.lab))).toBe(before);

    freshDb();
    const ok = await post('promote');
    expect(ok.status).toBe(200);
    expect(readRollout(k.lab).status.pauseConditions).toBeUndefined();
    const [entry] = await entries('operator');
    expect(entry).toMatchObject({
      action: 'promote',
      status: 200,
      target: '/status',
      subject: 'local:operator',
    });
    expect(entry?.patch).toEqual([
      { target: '/status', method: 'PATCH', type: 'merge', patch: { status: { pauseConditions: null } } },
    ]);
  });

  it('audit store closed: a refusal still answers with its own status (the failed write is only logged)', async () => {
    auditDb().close();
    expect((await post('explode', undefined, 'demo', 'webapp', 'operator')).status).toBe(404);
    expect((await post('abort', undefined, 'demo', 'webapp', 'viewer')).status).toBe(403);
  });
});
