/** Test helper: calls the action route handler with a real Request, as a signed-in user (default: operator). */
import { requestAs, type TestUser } from '@/server/auth/testing/session';
import { POST } from './route';

export async function post(
  action: string,
  body?: unknown,
  ns = 'demo',
  name = 'webapp',
  user: TestUser | null = 'operator',
  extraHeaders: Record<string, string> = {},
) {
  const init: RequestInit = { method: 'POST', headers: { ...extraHeaders } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json', ...extraHeaders };
  }
  const url = `http://cc.test/api/v1/rollouts/${encodeURIComponent(ns)}/${encodeURIComponent(name)}/${encodeURIComponent(action)}`;
  const res = await POST(await requestAs(user, url, init), {
    params: Promise.resolve({ namespace: ns, name, action }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test assertions walk the JSON freely
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, any> };
}
