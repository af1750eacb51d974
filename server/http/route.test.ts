import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openAuditDb } from '@/server/audit/audit-db';
import { GUARDED } from '@/server/auth/guard';
import { setSessionsDb } from '@/server/auth/session-store';
import { requestAs } from '@/server/auth/testing/session';
import { ApiError } from './api-error';
import { MAX_REQUEST_BODY_BYTES } from './body-limit';
import { errorAnswer } from './errors';
import { type Asked, json, route } from './route';

type ErrorBody = {
  error: { code: string; message: string; details?: Array<{ field: string; message: string }> };
};

beforeAll(() => {
  // A database of its own for the sessions the requests sign in with.
  setSessionsDb(openAuditDb(path.join(mkdtempSync(path.join(tmpdir(), 'cc-route-')), 'cc.db')));
});

/** What the handlers were called with: a refused request must never reach them. */
const calls: unknown[] = [];

// A read route (viewers may read) at a path of the access policy, with a schema for each part.
const READ_URL = 'http://cc.test/api/v1/rollouts/demo/webapp/links';
const read = route(
  {
    params: z.strictObject({
      namespace: z.string().regex(/^[a-z]+$/, 'must be lowercase letters'),
      name: z.string(),
    }),
    query: z.strictObject({ limit: z.coerce.number().int().max(10).default(5) }),
  },
  ({ params, query }, { who }) => {
    calls.push({ params, query, who: who?.name });
    return json({ params, query });
  },
);
const get = async (query: string, params = { namespace: 'demo', name: 'webapp' }) =>
  read(await requestAs('viewer', `${READ_URL}${query}`), { params: Promise.resolve(params) });

// A change (admins only, CSRF-checked) with a JSON body.
const CHANGE_URL = 'http://cc.test/api/v1/sessions/revoke';
const change = route(
  { body: z.strictObject({ username: z.string().min(1, 'must not be empty') }) },
  ({ body }) => {
    calls.push(body);
    return json({ done: body.username });
  },
);
const post = async (
  body: string,
  as: 'admin' | 'viewer' | null = 'admin',
  headers: Record<string, string> = {},
) => change(await requestAs(as, CHANGE_URL, { method: 'POST', body, headers }));

/** A route whose handler throws `err`. */
const throwing = (err: unknown) =>
  route({}, () => {
    throw err;
  });
const answerOf = async (err: unknown) => throwing(err)(await requestAs('viewer', READ_URL));

const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error;

describe('route(): parse at the border', () => {
  it('hands the handler the parsed params and query (coerced, defaults applied) and who asks', async () => {
    calls.length = 0;
    const res = await get('?limit=3');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ params: { namespace: 'demo', name: 'webapp' }, query: { limit: 3 } });
    expect(await (await get('')).json()).toMatchObject({ query: { limit: 5 } });
    expect(calls).toEqual([
      { params: { namespace: 'demo', name: 'webapp' }, query: { limit: 3 }, who: 'viewer' },
      { params: { namespace: 'demo', name: 'webapp' }, query: { limit: 5 }, who: 'viewer' },
    ]);
  });

  it('a bad path parameter is a 422 naming it, and the handler never runs', async () => {
    calls.length = 0;
    const res = await get('', { namespace: 'Demo', name: 'webapp' });
    expect(res.status).toBe(422);
    const error = await errorOf(res);
    expect(error.code).toBe('invalid_input');
    expect(error.message).toBe('invalid path: namespace: must be lowercase letters');
    expect(error.details).toEqual([{ field: 'namespace', message: 'must be lowercase letters' }]);
    expect(calls).toEqual([]);
  });

  it('a bad or unknown query parameter is a 422 naming it', async () => {
    calls.length = 0;
    const big = await errorOf(await get('?limit=11'));
    expect(big.message).toMatch(/^invalid query: limit: /);
    const unknown = await get('?limit=1&sort=name');
    expect(unknown.status).toBe(422);
    expect((await errorOf(unknown)).details).toEqual([{ field: 'sort', message: 'is not a known field' }]);
    expect(calls).toEqual([]);
  });

  it('a body that does not fit is a 422 naming the field; not JSON 400; too large 413; none reach the handler', async () => {
    calls.length = 0;
    const empty = await post(JSON.stringify({ username: '' }));
    expect(empty.status).toBe(422);
    expect((await errorOf(empty)).message).toBe('invalid body: username: must not be empty');
    const extra = await errorOf(await post(JSON.stringify({ username: 'a', role: 'admin' })));
    expect(extra.details).toEqual([{ field: 'role', message: 'is not a known field' }]);
    const notJson = await post('{username:');
    expect(notJson.status).toBe(400);
    expect((await errorOf(notJson)).code).toBe('invalid_json');
    const huge = await post(JSON.stringify({ username: 'x'.repeat(MAX_REQUEST_BODY_BYTES) }));
    expect(huge.status).toBe(413);
    expect(calls).toEqual([]);
    const ok = await post(JSON.stringify({ username: 'operator' }));
    expect(ok.status).toBe(200);
    expect(calls).toEqual([{ username: 'operator' }]);
  });

  it('keeps the guard in front: no session 401, wrong role 403, no CSRF header 403, before any parsing', async () => {
    calls.length = 0;
    expect((await post('{bad json', null)).status).toBe(401);
    expect((await post('{bad json', 'viewer')).status).toBe(403);
    const csrf = await change(
      new Request(CHANGE_URL, {
        method: 'POST',
        body: JSON.stringify({ username: 'operator' }),
        headers: { cookie: (await requestAs('admin', CHANGE_URL)).headers.get('cookie') ?? '' },
      }),
    );
    expect(csrf.status).toBe(403);
    expect((await errorOf(csrf)).code).toBe('csrf');
    expect(calls).toEqual([]);
    expect((read as unknown as Record<symbol, unknown>)[GUARDED]).toBe(true);
  });
});

// A route whose path names what it serves (`kind`: 404 when unknown), with a body schema per kind, a check beyond
// the schemas, and a hook told of every refusal with what was asked.
const KINDS = { note: z.strictObject({ text: z.string().min(1) }), count: z.strictObject({ n: z.number() }) };
const refusals: Array<{ status: number; code: string; body: unknown; kind: unknown }> = [];
const kinded = route(
  {
    params: z.strictObject({
      kind: z.enum(['note', 'count'], { error: (i) => `no kind "${String(i.input)}"` }),
      id: z.string().regex(/^\d+$/, 'must be digits'),
    }),
    notFound: ['kind'],
    body: ({ kind }: { kind: keyof typeof KINDS }) => KINDS[kind],
    check: ({ body }) => {
      if ('n' in body && body.n > 9) throw new ApiError(409, 'conflict', 'n: at most 9 now');
    },
    refused: async (err: ApiError, asked: Asked, { rawParams }) => {
      refusals.push({ status: err.status, code: err.code, body: asked.body, kind: rawParams.kind });
    },
  },
  ({ params, body }) => {
    if ('text' in body && body.text === 'boom') throw new ApiError(503, 'down', 'the store is down');
    calls.push({ params, body });
    return json({ params, body });
  },
);
const postKind = async (kind: string, id: string, body: string) =>
  kinded(await requestAs('admin', CHANGE_URL, { method: 'POST', body }), {
    params: Promise.resolve({ kind, id }),
  });

describe('route(): a path that names what it serves, a body per path, checks and the refusal hook', () => {
  it('an unknown kind is a 404 with its message before any other refusal of the path; the body is not read', async () => {
    calls.length = 0;
    refusals.length = 0;
    const res = await postKind('poem', 'x1', '{"text":"a"}');
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toEqual({ code: 'not_found', message: 'no kind "poem"' });
    const bad = await postKind('note', 'x1', '{"text":"a"}');
    expect(bad.status).toBe(422);
    expect((await errorOf(bad)).message).toBe('invalid path: id: must be digits');
    expect(refusals).toEqual([
      { status: 404, code: 'not_found', body: undefined, kind: 'poem' },
      { status: 422, code: 'invalid_input', body: undefined, kind: 'note' },
    ]);
    expect(calls).toEqual([]);
  });

  it("parses the body with the path's schema and tells the hook each refusal with the body as sent", async () => {
    calls.length = 0;
    refusals.length = 0;
    const wrong = await postKind('count', '1', '{"text":"a"}');
    expect((await errorOf(wrong)).message).toBe(
      'invalid body: n: Invalid input: expected number, received undefined; text: is not a known field',
    );
    expect((await postKind('note', '1', '{text')).status).toBe(400);
    const big = await postKind('note', '1', JSON.stringify({ text: 'x'.repeat(MAX_REQUEST_BODY_BYTES) }));
    expect(big.status).toBe(413);
    const checked = await postKind('count', '1', '{"n":10}');
    expect(checked.status).toBe(409);
    expect((await errorOf(checked)).message).toBe('n: at most 9 now');
    expect(refusals).toEqual([
      { status: 422, code: 'invalid_input', body: { text: 'a' }, kind: 'count' },
      { status: 400, code: 'invalid_json', body: undefined, kind: 'note' },
      { status: 413, code: 'payload_too_large', body: undefined, kind: 'note' },
      { status: 409, code: 'conflict', body: { n: 10 }, kind: 'count' },
    ]);
    expect(calls).toEqual([]);
  });

  it("reaches the handler with the path's body; what the handler throws is answered, not told as a refusal", async () => {
    calls.length = 0;
    refusals.length = 0;
    const ok = await postKind('count', '7', '{"n":3}');
    expect(ok.status).toBe(200);
    expect(calls).toEqual([{ params: { kind: 'count', id: '7' }, body: { n: 3 } }]);
    const down = await postKind('note', '7', '{"text":"boom"}');
    expect(down.status).toBe(503);
    expect(await errorOf(down)).toEqual({ code: 'down', message: 'the store is down' });
    expect(refusals).toEqual([]);
  });
});

describe('errors answered in one place', () => {
  it('an ApiError answers with its status, code, message, details and headers', async () => {
    const res = await answerOf(
      new ApiError(
        429,
        'too_many_streams',
        '9 streams open; at most 8',
        { open: 9 },
        { 'retry-after': '30' },
      ),
    );
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({
      error: { code: 'too_many_streams', message: '9 streams open; at most 8', details: { open: 9 } },
    });
    // Without details the body has no `details` key (what lib/client/api.ts reads).
    expect(await errorAnswer(new ApiError(404, 'not_found', 'rollout demo/x not found')).json()).toEqual({
      error: { code: 'not_found', message: 'rollout demo/x not found' },
    });
  });

  it('anything else is a 500 that tells nothing of its cause', async () => {
    const secret = 'connect ECONNREFUSED 10.0.0.7:5432 password=hunter2';
    for (const err of [new Error(secret), new TypeError(secret), secret, { code: 409, message: secret }]) {
      const res = await answerOf(err);
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('10.0.0.7');
      expect(text).not.toMatch(/at .*\.ts:\d+/);
      expect((JSON.parse(text) as ErrorBody).error.code).toBe('internal');
    }
  });
});
