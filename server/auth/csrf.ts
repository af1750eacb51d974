import 'server-only';
import { CSRF_HEADER, CSRF_VALUE } from '@/lib/auth/policy';
import { env } from '../config/env';

export { CSRF_HEADER, CSRF_VALUE };

/**
 * Why a mutating request is refused as cross-site, or null: it must come from this origin (Sec-Fetch-Site and
 * Origin when the browser sends them) and carry `X-Requested-With: control-center`. The session cookie is SameSite
 * too; this is the second lock.
 */
export function csrfRefusal(req: Request): string | null {
  const site = req.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin') return `cross-site request refused (Sec-Fetch-Site: ${site})`;
  const origin = req.headers.get('origin');
  if (origin) {
    const allowed = new Set<string>([new URL(req.url).origin]);
    const host = req.headers.get('host');
    if (host) {
      allowed.add(`http://${host}`);
      allowed.add(`https://${host}`);
    }
    const base = env().AUTH_URL;
    if (base) allowed.add(new URL(base).origin);
    if (!allowed.has(origin)) return `cross-origin request refused (Origin: ${origin.slice(0, 100)})`;
  }
  if (req.headers.get(CSRF_HEADER) !== CSRF_VALUE)
    return `send the header X-Requested-With: ${CSRF_VALUE} with every change (CSRF protection)`;
  return null;
}
