import { notFound } from '@/server/http/api-error';
import { route } from '@/server/http/route';

export const dynamic = 'force-dynamic';

/**
 * Every /api/ path that names no route: a JSON 404 for any method. Without it Next.js would answer with the
 * not-found page, rendered with a Server Function decoder in front, for form and multipart posts.
 */
const unknownRoute = route({}, (_input, { req }) => {
  throw notFound(`no API route at ${new URL(req.url).pathname.slice(0, 200)}`);
});

export const GET = unknownRoute;
export const POST = unknownRoute;
export const PUT = unknownRoute;
export const PATCH = unknownRoute;
export const DELETE = unknownRoute;
