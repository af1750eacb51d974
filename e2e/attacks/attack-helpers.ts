import type { Lab } from '../lab-fixture';

/** What the attacker's client sends: the session cookie and the same-origin headers the control center's UI sends. */
export async function act(
  lab: Lab,
  cookie: string,
  action: string,
  body?: unknown,
  opts: { namespace?: string; name?: string; headers?: Record<string, string> } = {},
): Promise<{
  status: number;
  json: { error?: { code: string; message: string; details?: unknown } } & Record<string, unknown>;
}> {
  const { namespace = 'demo', name = 'webapp', headers = {} } = opts;
  const res = await fetch(`${lab.url}/api/v1/rollouts/${namespace}/${name}/${action}`, {
    method: 'POST',
    headers: {
      cookie,
      origin: lab.url,
      'x-requested-with': 'control-center',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, json: (await res.json()) as never };
}

export interface AuditRow {
  id: number;
  at: string;
  subject?: string;
  actor: string;
  role: string | null;
  action: string;
  namespace: string;
  rollout: string;
  status: number;
  error: string | null;
  count?: number;
  target: string | null;
}

/** The audit log as an admin reads it (`GET /api/v1/audit`), newest first. */
export async function auditRows(
  lab: Lab,
  adminCookie: string,
  query: Record<string, string> = {},
): Promise<AuditRow[]> {
  const res = await fetch(`${lab.url}/api/v1/audit?${new URLSearchParams({ limit: '10000', ...query })}`, {
    headers: { cookie: adminCookie },
  });
  if (!res.ok) throw new Error(`GET /api/v1/audit: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { items: AuditRow[] }).items;
}

/** The load Jobs in a namespace, as kubectl lists them. */
export async function jobs(lab: Lab, namespace = 'demo'): Promise<Array<{ name: string; args: string[] }>> {
  const list = JSON.parse(await lab.kubectl('get', 'jobs', '-n', namespace, '-o', 'json')) as {
    items: Array<{
      metadata: { name: string };
      spec: { template: { spec: { containers: Array<{ args?: string[] }> } } };
    }>;
  };
  return list.items.map((j) => ({
    name: j.metadata.name,
    args: j.spec.template.spec.containers[0]?.args ?? [],
  }));
}
