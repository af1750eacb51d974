import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { apiLogin, expect, type Lab, test, until } from '../lab-fixture';
import { deleteOwnRollout, rolloutOf } from '../own-rollout';

/**
 * Attack class 13b: viewers read raw objects, env values and all. The Rollout carries a secret-looking env value (in
 * its pod template, so in its ReplicaSet, its pods and kubectl's last-applied annotation), and ConfigMap webapp-faults
 * a secret-looking key. As viewer and as operator, the stream (snapshot and live events), every read route and the
 * rollout page never carry those bytes; the names stay. As admin, the raw objects do.
 */
test.describe.configure({ mode: 'serial' });

const NAME = 'redact-env';
const SECRET = 'pg-P4ssw0rd-e2e-7c1f9a';
const LIVE_SECRET = 'rotated-Tok3n-e2e-51be03';
const FIXTURE = path.join(__dirname, '../fixtures/steps-rollout.yaml');

/** The fixture with DB_PASSWORD set on its container, applied with kubectl (so last-applied carries it too). */
async function applyWithEnv(lab: Lab, value: string): Promise<void> {
  const text = readFileSync(FIXTURE, 'utf8')
    .replaceAll('NAME', NAME)
    .replace(
      '          image: webapp:v1.0\n',
      `          image: webapp:v1.0\n          env:\n            - name: DB_PASSWORD\n              value: ${value}\n`,
    );
  expect(text).toContain(value);
  const file = path.join(lab.dir, `${NAME}.yaml`);
  writeFileSync(file, text);
  await lab.kubectl('apply', '-f', file);
}

/** A stream opened as `cookie`: `until(done)` reads on until the text so far satisfies `done` (or 20 s). */
async function openStream(lab: Lab, cookie: string, query: string) {
  const ctl = new AbortController();
  const res = await fetch(`${lab.url}/api/v1/stream${query}`, { headers: { cookie }, signal: ctl.signal });
  expect(res.status).toBe(200);
  const reader = res.body?.getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    until: async (done: (text: string) => boolean): Promise<string> => {
      const deadline = Date.now() + 20_000;
      while (!done(text)) {
        if (Date.now() > deadline)
          throw new Error(`the stream never had what was awaited: ${text.slice(-2000)}`);
        const { value, done: ended } = (await reader?.read()) ?? { done: true, value: undefined };
        if (ended) throw new Error('the stream ended');
        text += decoder.decode(value, { stream: true });
      }
      return text;
    },
    close: () => ctl.abort(),
  };
}
async function readStream(lab: Lab, cookie: string, query: string, done: (text: string) => boolean) {
  const s = await openStream(lab, cookie, query);
  try {
    return await s.until(done);
  } finally {
    s.close();
  }
}
const snapshotEnd = (t: string) => t.includes('"type":"END"');

test.beforeAll(async ({ lab }) => {
  test.setTimeout(120_000);
  await deleteOwnRollout(lab, NAME);
  await applyWithEnv(lab, SECRET);
  await until(`${NAME} Healthy`, 60_000, async () =>
    (await rolloutOf(lab, NAME)).status?.phase === 'Healthy' ? true : undefined,
  );
  await lab.kubectl(
    'patch',
    'configmap',
    'webapp-faults',
    '-n',
    'demo',
    '--type',
    'merge',
    '-p',
    JSON.stringify({ data: { 'db-dsn': `postgres://app:${SECRET}@db:5432/app` } }),
  );
  // The lab really holds the values (the pods' env included).
  expect(await lab.kubectl('get', 'pods', '-n', 'demo', '-l', `app=${NAME}`, '-o', 'json')).toContain(SECRET);
});

test.afterAll(async ({ lab }) => {
  await lab
    .kubectl(
      'patch',
      'configmap',
      'webapp-faults',
      '-n',
      'demo',
      '--type',
      'merge',
      '-p',
      '{"data":{"db-dsn":null}}',
    )
    .catch(() => undefined);
  await deleteOwnRollout(lab, NAME);
});

for (const user of ['viewer', 'operator']) {
  test(`${user}: the stream, the read routes and the page never carry the env value or the secret key`, async ({
    lab,
  }) => {
    const cookie = await apiLogin(lab.url, user);
    // The whole-cluster snapshot: the Rollout, its ReplicaSet and pods, ConfigMap webapp-faults.
    const snap = await readStream(lab, cookie, '', snapshotEnd);
    expect(snap).toContain(`"name":"${NAME}"`);
    expect(snap).toContain('{"name":"DB_PASSWORD"}'); // the name stays
    expect(snap).toContain('faults.json'); // what the fault panel reads stays
    expect(snap).not.toContain(SECRET);
    expect(snap).not.toContain('last-applied-configuration');
    expect(snap).not.toContain('db-dsn');
    expect(snap).not.toContain('managedFields');

    const base = `${lab.url}/api/v1/rollouts`;
    for (const url of [
      `${base}`,
      `${base}/demo/${NAME}`,
      `${base}/demo/${NAME}?raw=1`,
      `${base}/demo/${NAME}/timeline`,
      `${base}/demo/${NAME}/links`,
      `${lab.url}/rollouts/demo/${NAME}`,
    ]) {
      const res = await fetch(url, { headers: { cookie } });
      expect(res.status, url).toBe(200);
      const body = await res.text();
      expect(body, url).not.toContain(SECRET);
      expect(body, url).not.toContain('last-applied-configuration');
    }
    const raw = (await (await fetch(`${base}/demo/${NAME}?raw=1`, { headers: { cookie } })).json()) as {
      raw: { rollout: { spec: { template: { spec: { containers: Array<{ env?: unknown }> } } } } };
    };
    expect(raw.raw.rollout.spec.template.spec.containers[0]?.env).toEqual([{ name: 'DB_PASSWORD' }]);
  });
}

test('a live change of the value reaches the viewer without it, the admin with it', async ({ lab }) => {
  const viewer = await apiLogin(lab.url, 'viewer');
  const admin = await apiLogin(lab.url, 'admin');
  const query = `?namespace=demo&rollout=${NAME}`;
  const [v, a] = [await openStream(lab, viewer, query), await openStream(lab, admin, query)];
  try {
    // Both snapshots read, then the change: it can only arrive as a live MODIFIED event of the Rollout.
    await Promise.all([v.until(snapshotEnd), a.until(snapshotEnd)]);
    await applyWithEnv(lab, LIVE_SECRET);
    const asAdmin = await a.until((t) => t.includes(LIVE_SECRET));
    expect(asAdmin).toContain('"type":"MODIFIED"');
    // The viewer's copy of the same event: the Rollout with the new generation, env name only.
    const generation = (await rolloutOf(lab, NAME)) as unknown as { metadata: { generation: number } };
    const asViewer = await v.until((t) =>
      t
        .split('\n\n')
        .some(
          (m) =>
            m.includes('"type":"MODIFIED"') && m.includes(`"generation":${generation.metadata.generation}`),
        ),
    );
    expect(asViewer).not.toContain(LIVE_SECRET);
    expect(asViewer).not.toContain(SECRET);
  } finally {
    v.close();
    a.close();
  }
  // Admins get the raw objects on the read route too.
  const raw = await (
    await fetch(`${lab.url}/api/v1/rollouts/demo/${NAME}?raw=1`, { headers: { cookie: admin } })
  ).text();
  expect(raw).toContain(LIVE_SECRET);
});
