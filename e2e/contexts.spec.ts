import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { E2E_CONFIG, expect, type LabProgram, type Proc, startLabProgram, test } from './lab-fixture';
import { login } from './login';
import { startTwoContextControlCenter } from './two-contexts';

/**
 * Two clusters in one control center: the shared e2e lab as context `lab-a` and a second lab as `lab-b`, merged into
 * one kubeconfig, with CONTROL_CENTER_CONFIG listing both contexts. A control center of its own serves them.
 */
test.describe.configure({ mode: 'serial' });

const procs: Proc[] = [];
let dir = '';
let labB: LabProgram;
let cc = '';

const ROLLOUT_B = `apiVersion: v1
kind: Namespace
metadata:
  name: staging
---
apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: api
  namespace: staging
spec:
  replicas: 1
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: webapp
          image: webapp:v2.0
          ports: [{ containerPort: 8080 }]
  strategy:
    canary:
      steps: [{ setWeight: 50 }, { pause: {} }]
`;

test.beforeAll(async ({ lab }) => {
  test.setTimeout(180_000);
  dir = mkdtempSync(path.join(tmpdir(), 'cc-e2e-contexts-'));
  labB = await startLabProgram(dir, procs);
  writeFileSync(path.join(dir, 'api.yaml'), ROLLOUT_B);
  await labB.kubectl('apply', '-f', path.join(dir, 'api.yaml'));
  cc = await startTwoContextControlCenter({
    dir,
    procs,
    labA: lab,
    labB,
    config: `${readFileSync(E2E_CONFIG, 'utf8')}\ncontexts:\n  - name: lab-a\n  - name: lab-b\n`,
    name: 'contexts',
  });
});

test.afterAll(async () => {
  for (const p of procs.reverse()) await p.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the overview shows the rollouts of both contexts, live, and the picker narrows it to one', async ({
  page,
}, testInfo) => {
  await login(page, 'viewer', undefined, cc);
  await page.goto(`${cc}/`);
  const a = page.getByTestId('row-lab-a/demo/webapp');
  const b = page.getByTestId('row-lab-b/staging/api');
  await expect(a).toBeVisible({ timeout: 15_000 });
  await expect(b).toBeVisible({ timeout: 15_000 });
  await expect(a).toContainText('lab-a');
  await expect(b).toContainText('lab-b');
  await expect(b).toContainText('webapp:v2.0');
  await expect(page.getByRole('columnheader', { name: 'Context' }).first()).toBeVisible();
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  await page.screenshot({ path: testInfo.outputPath('overview-two-contexts.png'), fullPage: true });

  await page.getByLabel('Kube context').selectOption('lab-b');
  await page.waitForURL(/\?context=lab-b$/);
  await expect(b).toBeVisible();
  await expect(a).toHaveCount(0);
  await expect(page.getByRole('heading', { name: /All rollouts \(1\)/ })).toBeVisible();
  await page.getByLabel('Kube context').selectOption('');
  await page.waitForURL((u) => u.search === '');
  await expect(a).toBeVisible();
});

test('a row opens its rollout in its own context; a change made with kubectl there shows without a reload', async ({
  page,
}) => {
  await login(page, 'viewer', undefined, cc);
  await page.goto(`${cc}/`);
  await page.getByTestId('row-lab-b/staging/api').getByRole('link').click();
  await page.waitForURL(/\/rollouts\/staging\/api\?context=lab-b$/);
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' })).toContainText('lab-b / staging / api');
  await expect(page.getByTestId('rollout-phase')).toHaveText('Healthy', { timeout: 15_000 });
  await expect(page.getByTestId('live-indicator')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  await labB.kubectl(
    '-n',
    'staging',
    'patch',
    'rollout',
    'api',
    '--type',
    'merge',
    '-p',
    '{"spec":{"paused":true}}',
  );
  await expect(page.getByTestId('rollout-phase')).toHaveText('Paused', { timeout: 15_000 });
  // The same name in the other context is not there.
  const other = await page.goto(`${cc}/rollouts/staging/api?context=lab-a`);
  expect(other?.status()).toBe(404);
  const unknown = await page.goto(`${cc}/rollouts/staging/api?context=nope`);
  expect(unknown?.status()).toBe(404);
});
