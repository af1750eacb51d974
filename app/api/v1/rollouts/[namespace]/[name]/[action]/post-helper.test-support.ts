/** Test helper: calls the action route handler with a real Request. */
import { POST } from './route';

export async function post(action: string, body?: unknown, ns = 'demo', name = 'webapp') {
  const init: RequestInit = { method: 'POST' };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const res = await POST(new Request(`http://cc.test/api/v1/rollouts/${ns}/${name}/${action}`, init), {
    params: Promise.resolve({ namespace: ns, name, action }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test assertions walk the JSON freely
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}
