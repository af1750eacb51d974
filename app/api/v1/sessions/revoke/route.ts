import { z } from 'zod';
import { guarded } from '@/server/auth/guard';
import { revokeSessionsOf } from '@/server/auth/session-store';
import { apiError, validationError } from '@/server/http/errors';

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
export const POST = guarded(async (req: Request, _ctx: unknown, who): Promise<Response> => {
  let json: unknown;
  try {
    json = await req.json();
  } catch {
    return apiError(400, 'invalid_json', 'the request body is not valid JSON');
  }
  const body = bodySchema.safeParse(json);
  if (!body.success) return validationError(body.error, 'body');
  const by = who?.name ?? 'unknown';
  const revoked = await revokeSessionsOf(body.data.username, `admin ${by}`);
  console.log(`auth: ${by} revoked ${revoked} session(s) of ${JSON.stringify(body.data.username)}`);
  return Response.json(
    { username: body.data.username, revoked },
    { headers: { 'cache-control': 'no-store' } },
  );
});
