import { z } from 'zod';
import { revokeSessionsOf } from '@/server/auth/session-store';
import { json, route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

const bodySchema = z
  .object({
    username: z
      .string({ error: 'must be a string' })
      .trim()
      .min(1, 'must not be empty')
      .max(256, 'must be at most 256 characters'),
  })
  .strict();

/**
 * Ends every live session of a user at once (admins): `{username}` (a local username, or an OIDC user's subject or
 * name). Their cookies are refused from the next request on. Recorded in the sessions table (revoked_by) and the
 * server log.
 */
export const POST = route({ body: bodySchema }, async ({ body }, { who }) => {
  const by = who?.name ?? 'unknown';
  const revoked = await revokeSessionsOf(body.username, `admin ${by}`);
  console.log(`auth: ${by} revoked ${revoked} session(s) of ${JSON.stringify(body.username)}`);
  return json({ username: body.username, revoked });
});
