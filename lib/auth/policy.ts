/**
 * THE POLICY: every route of the control center and what it needs. Route handlers are wrapped by `guarded()`
 * (server/auth/guard.ts) and pages call `pageAccess()` (server/auth/page-access.ts); both look the request up here.
 * Tests enumerate `app/**\/route.ts` and `app/**\/page.tsx` and fail for a file that is missing here, or not guarded.
 *
 * - public: anyone (health, the login page)
 * - auth:   next-auth's own endpoints (sign-in/out, callbacks; next-auth checks its CSRF token)
 * - judge:  `Authorization: Bearer $JUDGE_TOKEN` (Argo Rollouts' web metric provider), no session
 * - metrics: `Authorization: Bearer $METRICS_TOKEN` (Prometheus' scrape of the server's own metrics), no session
 * - read:   any signed-in user with a role
 * - act:    a rollout action: operator or admin, in an allowed namespace (path parameter `namespace`)
 * - audit:  admins
 */
/** The header every mutating API request carries (a cross-site page cannot add it without a CORS preflight). */
export const CSRF_HEADER = 'x-requested-with';
export const CSRF_VALUE = 'control-center';

export type Permission = 'public' | 'auth' | 'judge' | 'metrics' | 'read' | 'act' | 'audit';
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export const MUTATING: readonly string[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

export const API_POLICY: Record<string, Partial<Record<Method, Permission>>> = {
  '/api/health': { GET: 'public' },
  '/api/metrics': { GET: 'metrics' },
  '/api/auth/[...nextauth]': { GET: 'auth', POST: 'auth' },
  '/api/v1/judge': { GET: 'judge' },
  '/api/v1/rollouts': { GET: 'read' },
  '/api/v1/rollouts/[namespace]/[name]': { GET: 'read' },
  '/api/v1/rollouts/[namespace]/[name]/slo': { GET: 'read' },
  '/api/v1/rollouts/[namespace]/[name]/timeline': { GET: 'read' },
  '/api/v1/rollouts/[namespace]/[name]/links': { GET: 'read' },
  '/api/v1/rollouts/[namespace]/[name]/traffic': { GET: 'read' },
  '/api/v1/rollouts/[namespace]/[name]/[action]': { POST: 'act' },
  '/api/v1/stream': { GET: 'read' },
  '/api/v1/audit': { GET: 'audit' },
  '/api/v1/sessions/revoke': { POST: 'audit' },
  // Any other /api/ path: a JSON 404 (app/api/[...path]/route.ts), never the not-found page.
  '/api/[...path]': { GET: 'public', POST: 'public', PUT: 'public', PATCH: 'public', DELETE: 'public' },
};

export const PAGE_POLICY = {
  '/': 'read',
  '/rollouts/[namespace]/[name]': 'read',
  '/audit': 'audit',
  '/login': 'public',
} as const satisfies Record<string, Permission>;

export interface RouteMatch {
  pattern: string;
  params: Record<string, string>;
}

/**
 * The pattern a path belongs to, as Next.js routes it: static segments beat `[param]`, which beats `[...rest]`.
 * Segments are matched decoded; null when nothing matches.
 */
export function matchRoute(patterns: readonly string[], pathname: string): RouteMatch | null {
  const parts = pathname.split('/').filter(Boolean);
  let best: { m: RouteMatch; score: number[] } | null = null;
  for (const pattern of patterns) {
    const segs = pattern.split('/').filter(Boolean);
    const params: Record<string, string> = {};
    const score: number[] = [];
    let ok = true;
    for (let i = 0; i < segs.length && ok; i++) {
      const seg = segs[i] as string;
      const catchAll = seg.match(/^\[\.\.\.(\w+)\]$/);
      if (catchAll) {
        if (i >= parts.length) ok = false;
        else params[catchAll[1] as string] = parts.slice(i).map(safeDecode).join('/');
        score.push(0);
        if (i !== segs.length - 1) ok = false;
        break;
      }
      const part = parts[i];
      if (part === undefined) ok = false;
      else if (/^\[\w+\]$/.test(seg)) {
        params[seg.slice(1, -1)] = safeDecode(part);
        score.push(1);
      } else if (seg === part) score.push(2);
      else ok = false;
    }
    const consumed = segs.some((s) => s.startsWith('[...')) ? parts.length : segs.length;
    if (!ok || consumed !== parts.length || (segs.length === 0 && parts.length > 0)) continue;
    if (!best || compare(score, best.score) > 0) best = { m: { pattern, params }, score };
  }
  return best?.m ?? null;
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? -1) - (b[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
