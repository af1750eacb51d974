import { Traffic } from '@control-center/lab/testing';
import { apiLogin, expect, type Lab, test, until } from './lab-fixture';
import { createOwnRollout, deleteOwnRollout, virtualServiceOf } from './own-rollout';

/**
 * A mesh-scope fault through the real route (POST …/faults, scope "mesh": an Istio `fault.abort` on the rollout's
 * VirtualService route), with load running through the lab's gateway to a rollout this test creates. The error rate
 * is measured at the gateway, from its own istio_requests_total counters (cross-checked against the responses the
 * load saw), and must match the configured share within 4 binomial standard deviations of the request count; after
 * the fault is cleared through the same route the gateway counts no errors. The audit entry of each call is read
 * back and must be exactly the JSON patch that changed the VirtualService.
 */
const NAME = 'mesh-fault';
const ERROR_RATE = 0.25;
const MEASURED = 1200; // requests per measurement: 4σ at p = 0.25 is ±5 points

const fault = { abort: { percentage: { value: ERROR_RATE * 100 }, httpStatus: 503 } };
const setPatch = [
  {
    target: `virtualservice/${NAME}`,
    method: 'PATCH',
    type: 'json',
    patch: [
      { op: 'test', path: '/spec/http/0/name', value: 'primary' },
      { op: 'add', path: '/spec/http/0/fault', value: fault },
    ],
  },
];
const clearPatch = [
  {
    target: `virtualservice/${NAME}`,
    method: 'PATCH',
    type: 'json',
    patch: [
      { op: 'test', path: '/spec/http/0/name', value: 'primary' },
      { op: 'remove', path: '/spec/http/0/fault' },
    ],
  },
];

test.afterAll(async ({ lab }) => {
  await deleteOwnRollout(lab, NAME);
});

interface Counts {
  total: number;
  errors: number;
  faulted: number;
  /** Errors by `code flags` (what failed, for the test's output). */
  kinds: Record<string, number>;
}

/** This rollout's requests as the gateway counted them (istio_requests_total, both of its Services). */
async function gatewayCounts(lab: Lab): Promise<Counts> {
  const text = await (await fetch(`${lab.gatewayUrl}/stats/prometheus`)).text();
  const c: Counts = { total: 0, errors: 0, faulted: 0, kinds: {} };
  for (const line of text.split('\n')) {
    if (!line.startsWith('istio_requests_total{')) continue;
    const labels = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    const service = labels.destination_service_name ?? '';
    if (!service.startsWith(`${NAME}-stable`) && !service.startsWith(`${NAME}-canary`)) continue;
    const n = Number(line.slice(line.lastIndexOf(' ') + 1));
    c.total += n;
    if (Number(labels.response_code) >= 500 || labels.response_code === '0') {
      c.errors += n;
      const kind = `${labels.response_code} ${labels.response_flags}`;
      c.kinds[kind] = (c.kinds[kind] ?? 0) + n;
    }
    if (labels.response_flags === 'FI') c.faulted += n;
  }
  return c;
}

/** Waits until the gateway has counted `n` more of this rollout's requests; returns the counts over them. */
async function measure(lab: Lab, n: number): Promise<Counts> {
  const from = await gatewayCounts(lab);
  const to = await until(`${n} requests at the gateway`, 60_000, async () => {
    const c = await gatewayCounts(lab);
    return c.total - from.total >= n ? c : undefined;
  });
  const kinds = Object.fromEntries(
    Object.entries(to.kinds)
      .map(([k, v]) => [k, v - (from.kinds[k] ?? 0)] as const)
      .filter(([, v]) => v > 0),
  );
  return {
    total: to.total - from.total,
    errors: to.errors - from.errors,
    faulted: to.faulted - from.faulted,
    kinds,
  };
}

async function faults(lab: Lab, cookie: string, body: object): Promise<{ status: number; patch: unknown }> {
  const res = await fetch(`${lab.url}/api/v1/rollouts/demo/${NAME}/faults`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json', 'x-requested-with': 'control-center' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { patches?: unknown };
  return { status: res.status, patch: json.patches };
}

test('a mesh fault set through its route shows at the gateway as its error rate, and clears to zero', async ({
  lab,
}) => {
  test.setTimeout(120_000);
  await createOwnRollout(lab, NAME);
  const since = new Date().toISOString();
  const operator = await apiLogin(lab.url, 'operator');
  const start = await gatewayCounts(lab);
  const load = new Traffic({
    url: `${lab.gatewayUrl}/api/work`,
    host: `${NAME}.local`,
    rps: 150,
    maxRequests: 150 * 90,
    maxDurationMs: 90_000,
  });
  try {
    const before = await measure(lab, 300);
    console.log(`before: ${before.errors}/${before.total} errors ${JSON.stringify(before.kinds)}`);
    expect(before.errors).toBe(0);

    const vsBefore = await virtualServiceOf(lab, NAME);
    expect(vsBefore.spec.http[0]?.fault).toBeUndefined();
    const set = await faults(lab, operator, { scope: 'mesh', errorRate: ERROR_RATE });
    expect(set.status).toBe(200);
    expect(set.patch).toEqual(setPatch);
    // The object change is exactly that patch: the route gained the fault, nothing else moved.
    const vsFaulted = await virtualServiceOf(lab, NAME);
    const [route, ...others] = vsFaulted.spec.http;
    expect({ ...vsFaulted.spec, http: [{ ...route, fault: undefined }, ...others] }).toEqual({
      ...vsBefore.spec,
      http: [{ ...vsBefore.spec.http[0], fault: undefined }, ...vsBefore.spec.http.slice(1)],
    });
    expect(route?.fault).toEqual(fault);

    // The gateway applies the route once it has seen the change: from its first fault abort on, measure.
    await until('the first fault abort at the gateway', 30_000, async () =>
      (await gatewayCounts(lab)).faulted > start.faulted ? true : undefined,
    );
    const during = await measure(lab, MEASURED);
    const rate = during.errors / during.total;
    const sigma = Math.sqrt((ERROR_RATE * (1 - ERROR_RATE)) / during.total);
    console.log(
      `mesh fault ${ERROR_RATE * 100} %: gateway counted ${during.errors}/${during.total} errors = ` +
        `${(100 * rate).toFixed(1)} % (4σ = ±${(400 * sigma).toFixed(1)} points), ${during.faulted} fault aborts; errors by code and flags ${JSON.stringify(during.kinds)}`,
    );
    expect(during.faulted).toBe(during.errors); // every error is the injected abort, none from the app
    expect(Math.abs(rate - ERROR_RATE)).toBeLessThanOrEqual(4 * sigma);

    const cleared = await faults(lab, operator, { scope: 'mesh', clear: true });
    expect(cleared.status).toBe(200);
    expect(cleared.patch).toEqual(clearPatch);
    expect(await virtualServiceOf(lab, NAME)).toMatchObject({ spec: vsBefore.spec });
    expect((await virtualServiceOf(lab, NAME)).spec.http[0]?.fault).toBeUndefined();

    // Cleared at the gateway once 100 requests in a row got through (0.75^100 ≈ 3e-13 with the fault still on).
    const clearedAt = Date.now();
    await until('100 requests in a row answered 200 after the clear', 30_000, async () => {
      const after = load.samples.filter((s) => s.sentAt > clearedAt);
      return after.length >= 100 && after.slice(-100).every((s) => s.status === 200) ? true : undefined;
    });
    const after = await measure(lab, 600);
    console.log(`after the clear: gateway counted ${after.errors}/${after.total} errors`);
    expect(after.errors).toBe(0);
    expect(after.faulted).toBe(0);
  } finally {
    await load.stop();
  }
  // What the load saw agrees with the gateway: as many responses and as many 503s (each its own kind).
  const got503 = load.samples.filter((s) => s.status === 503).length;
  const counted = await until('the gateway counted every response', 10_000, async () => {
    const c = await gatewayCounts(lab);
    return c.total - start.total >= load.samples.length ? c : undefined;
  });
  const kinds = Object.entries(counted.kinds)
    .map(([k, v]) => [k, v - (start.kinds[k] ?? 0)] as const)
    .filter(([, v]) => v > 0);
  console.log(
    `load: ${load.samples.length} responses, ${got503} × 503; the gateway's errors over the whole run: ` +
      `${JSON.stringify(Object.fromEntries(kinds))} (inside the measured windows: fault aborts only)`,
  );
  expect(counted.total - start.total).toBe(load.samples.length);
  expect(kinds.filter(([k]) => k.startsWith('503 ')).reduce((n, [, v]) => n + v, 0)).toBe(got503);

  // The audit log has both calls with exactly the patches the route sent (and the VirtualService shows).
  const admin = await apiLogin(lab.url, 'admin');
  const res = await fetch(
    `${lab.url}/api/v1/audit?${new URLSearchParams({ namespace: 'demo', action: 'faults', since })}`,
    { headers: { cookie: admin } },
  );
  const items = ((await res.json()) as { items: Array<Record<string, unknown>> }).items
    .filter((i) => i.rollout === NAME)
    .reverse();
  expect(items.map((i) => [i.actor, i.status, i.target, i.patch])).toEqual([
    ['operator', 200, `virtualservice/${NAME}`, setPatch],
    ['operator', 200, `virtualservice/${NAME}`, clearPatch],
  ]);
});
