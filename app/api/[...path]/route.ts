import { guarded } from '@/server/auth/guard';
import { apiError } from '@/server/http/errors';

export const dynamic = 'force-dynamic';

/**
 * Every /api/ path that names no route: a JSON 404 for any method. Without it Next.js would answer with the
 * not-found page, rendered with a Server Function decoder in front, for form and multipart posts.
 */
const notFound = guarded((req: Request) =>
  apiError(404, 'not_found', `no API route at ${new URL(req.url).pathname.slice(0, 200)}`),
);

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
