import 'server-only';
import type { z } from 'zod';
import { guarded } from '@/server/auth/guard';
import type { Principal } from '@/server/auth/principal';
import { invalidInput } from './api-error';
import { queryObject } from './errors';
import { readJson } from './json-body';

/** Marks handlers made by `route` (server/http/route-files.test.ts checks every API route but the exceptions has it). */
export const ROUTE_KERNEL = Symbol.for('control-center.route-kernel');

type Schema = z.ZodType;
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
/** A route's path parameters as Next.js gives them (`[...path]` segments are arrays). */
export type RawParams = Record<string, string | string[]>;

export interface RouteSpec<
  P extends Schema | undefined,
  Q extends Schema | undefined,
  B extends Schema | undefined,
> {
  /** The path parameters (`[namespace]`, ...): a bad one is a 422 `invalid path: <field>: ...`. */
  params?: P;
  /** The query: a bad one is a 422 `invalid <queryLabel>: <field>: ...` (an unknown key by its own name). */
  query?: Q;
  /** What the query schema reads; default the URL's parameters (the last of a repeated key wins). */
  queryFrom?: (req: Request, params: RawParams) => Record<string, unknown>;
  /** The word for the query in refusals; default `query`. */
  queryLabel?: string;
  /** The JSON body: 413 past `bodyLimit`, 400 if it is not JSON, 422 `invalid body: <field>: ...` if it does not fit. */
  body?: B;
  bodyLimit?: number;
}

export interface RouteInput<P, Q, B> {
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
}

export interface RouteContext {
  req: Request;
  /** Who asks (null on public, bearer and next-auth routes): the guard has checked the session, role and CSRF. */
  who: Principal | null;
  /** The path parameters as they came (before `params` parsed them). */
  rawParams: RawParams;
}

function parse<S extends Schema | undefined>(schema: S | undefined, value: unknown, what: string): Parsed<S> {
  if (!schema) return undefined as Parsed<S>;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidInput(parsed.error, what);
  return parsed.data as Parsed<S>;
}

/**
 * An API route handler: the guard (server/auth/guard.ts: policy, session, rate limit, CSRF, role) lets the request
 * in, then the path parameters, the query and the body are parsed with their schemas in that order, and only a
 * request that fits them all reaches `handler`. Whatever is thrown (a refusal here, an `ApiError` of the domain, or
 * anything else) is answered in one place (server/http/errors.ts `errorAnswer`), so a refused request changes nothing.
 */
export function route<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(
  spec: RouteSpec<P, Q, B>,
  handler: (input: RouteInput<P, Q, B>, ctx: RouteContext) => Promise<Response> | Response,
): (req: Request, ctx?: { params: Promise<RawParams> }) => Promise<Response> {
  const handle = guarded(async (req: Request, ctx: { params: Promise<RawParams> } | undefined, who) => {
    const rawParams: RawParams = (await ctx?.params) ?? {};
    const params = parse(spec.params, rawParams, 'path');
    const query = parse(
      spec.query,
      spec.queryFrom ? spec.queryFrom(req, rawParams) : queryObject(req.url),
      spec.queryLabel ?? 'query',
    );
    const body = parse(spec.body, spec.body ? await readJson(req, spec.bodyLimit) : undefined, 'body');
    return handler({ params, query, body }, { req, who, rawParams });
  });
  Object.defineProperty(handle, ROUTE_KERNEL, { value: true });
  return handle;
}

/** A JSON answer that no cache keeps (every API answer is per user and live). */
export function json(data: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('cache-control', 'no-store');
  return Response.json(data, { ...init, headers });
}
