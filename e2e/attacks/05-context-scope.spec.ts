import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import {
  apiLogin,
  E2E_CONFIG,
  expect,
  type Lab,
  type LabProgram,
  type Proc,
  startLabProgram,
  test,
  until,
} from '../lab-fixture';
import { login } from '../login';
import { createOwnRollout, deleteOwnRollout, type RolloutJson, rolloutOf } from '../own-rollout';
import { startTwoContextControlCenter } from '../two-contexts';

/**
 * Attack class 5: an operator allowed on `demo` in one cluster acts on `demo` in another. One control center watches
 * two kube contexts (the shared e2e lab as `lab-a`, a second lab as `lab-b`, each with a paused canary in `demo`).
 * `operator-a` is scoped to `{context: lab-a, namespaces: [demo]}`; `operator` has the `namespaces: [demo]`
 * shorthand, which means the default context (lab-a) only. Both promote and abort `demo/webapp` on lab-b: 403
 * naming the context, the Rollout on lab-b unchanged, the refusal audited with its context; on lab-a it works.
 */
test.describe.configure({ mode: 'serial' });

const A_NAME = 'scope-a';
const procs: Proc[] = [];
let dir = '';
let labB: LabProgram & Pick<Lab, 'dir'>;
let cc = '';

const post = (cookie: string, target: string, action: string, body: unknown = {}) =>
  fetch(`${cc}/api/v1/rollouts/demo/${target}`.replace(/\?|$/, `/${action}$&`), {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'x-requested-with': 'control-center', origin: cc },
    body: JSON.stringify(body),
  });

/** What an action would change: the spec and the status fields the Argo actions patch or the controller moves. */
const stateOf = (ro: RolloutJson & { spec: { paused?: boolean }; status?: { abort?: boolean } }) =>
  JSON.stringify({
    spec: ro.spec,
    phase: ro.status?.phase,
    step: ro.status?.currentStepIndex,
    pause: ro.status?.pauseConditions?.map((c) => c.reason),
    abort: ro.status?.abort ?? false,
  });

test.beforeAll(async ({ lab }) => {
  test.setTimeout(240_000);
  dir = mkdtempSync(path.join(tmpdir(), 'cc-e2e-attack-05-'));
  labB = { ...(await startLabProgram(dir, procs)), dir };
  await labB.kubectl('create', 'namespace', 'demo');
  await Promise.all([createOwnRollout(lab, A_NAME), createOwnRollout(labB as unknown as Lab, 'webapp')]);

  const config = parse(readFileSync(E2E_CONFIG, 'utf8')) as {
    auth: { users: Array<{ username: string; passwordHash: string } & Record<string, unknown>> };
  };
  const operator = config.auth.users.find((u) => u.username === 'operator');
  config.auth.users.push({
    username: 'operator-a',
    role: 'operator',
    passwordHash: operator?.passwordHash ?? '',
    scopes: [{ context: 'lab-a', namespaces: ['demo'] }],
  });
  cc = await startTwoContextControlCenter({
    dir,
    procs,
    labA: lab,
    labB,
    config: stringify({ ...config, contexts: [{ name: 'lab-a' }, { name: 'lab-b' }] }),
    name: 'attack-05',
  });
  // Both canaries launched by an admin and paused at `pause: {}` (20 %): promote and abort have something to do.
  const admin = await apiLogin(cc, 'admin');
  for (const [target, kubectl] of [
    [`${A_NAME}?context=lab-a`, lab.kubectl],
    ['webapp?context=lab-b', labB.kubectl],
  ] as const) {
    const res = await until(`the launch of ${target}`, 30_000, async () => {
      const r = await post(admin, target, 'launch', { image: 'webapp:v1.1' });
      return r.status === 503 ? undefined : r; // the context's informers still syncing
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const name = target.split('?')[0] as string;
    await until(`${target} paused at step 1`, 60_000, async () => {
      const ro = JSON.parse(await kubectl('get', 'rollout', name, '-n', 'demo', '-o', 'json')) as RolloutJson;
      return ro.status?.phase === 'Paused' && ro.status.currentStepIndex === 1 ? true : undefined;
    });
  }
});

test.afterAll(async ({ lab }) => {
  await deleteOwnRollout(lab, A_NAME).catch(() => undefined);
  for (const p of procs.reverse()) await p.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const rolloutOnB = async () =>
  JSON.parse(await labB.kubectl('get', 'rollout', 'webapp', '-n', 'demo', '-o', 'json')) as RolloutJson;

test('an operator scoped to demo on lab-a cannot promote or abort demo/webapp on lab-b; the rollout is unchanged', async () => {
  const before = stateOf(await rolloutOnB());
  for (const user of ['operator-a', 'operator']) {
    const cookie = await apiLogin(cc, user, 'operator-password-1');
    for (const action of ['promote', 'abort', 'promote-full']) {
      const res = await post(cookie, 'webapp?context=lab-b', action);
      expect(res.status, `${user} ${action}`).toBe(403);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toEqual({
        code: 'forbidden',
        message: 'your role (operator) may act only in demo on context lab-a (not in demo on context lab-b)',
      });
    }
  }
  // Read back: nothing moved on lab-b.
  expect(stateOf(await rolloutOnB())).toBe(before);
  // The refusals are audited with the context they aimed at.
  const admin = await apiLogin(cc, 'admin');
  const audit = (await (
    await fetch(`${cc}/api/v1/audit?user=operator-a`, { headers: { cookie: admin } })
  ).json()) as {
    items: Array<{ action: string; context: string; status: number; rollout: string }>;
  };
  expect(audit.items.map((i) => `${i.action} ${i.context} ${i.status}`).sort()).toEqual([
    'abort lab-b 403',
    'promote lab-b 403',
    'promote-full lab-b 403',
  ]);
});

test('the rollout page on lab-b greys the actions for the operator, naming the context', async ({ page }) => {
  await login(page, 'operator-a', 'operator-password-1', cc);
  await page.goto(`${cc}/rollouts/demo/webapp?context=lab-b`);
  await expect(page.getByTestId('rollout-phase')).toHaveText('Paused', { timeout: 15_000 });
  const promote = page.getByRole('button', { name: 'Promote', exact: true });
  await expect(promote).toBeDisabled();
  await expect(promote).toHaveAttribute('title', /may act only in demo on context lab-a/);
});

test('the same operator promotes its rollout in demo on lab-a', async ({ lab }) => {
  const cookie = await apiLogin(cc, 'operator-a', 'operator-password-1');
  const res = await post(cookie, `${A_NAME}?context=lab-a`, 'promote');
  expect(res.status, await res.clone().text()).toBe(200);
  await until(`${A_NAME} past the first pause`, 30_000, async () => {
    const ro = await rolloutOf(lab, A_NAME);
    return (ro.status?.currentStepIndex ?? 0) >= 2 ? true : undefined;
  });
});
