import { guarded } from '@/server/auth/guard';
import { nextAuthHandler } from '@/server/auth/nextauth-handler';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ nextauth: string[] }> };

/** next-auth: csrf, providers, session, sign-in (password or OIDC), callbacks, sign-out. */
export const GET = guarded(async (req: Request, ctx: Ctx) =>
  nextAuthHandler(req, (await ctx.params).nextauth),
);
export const POST = guarded(async (req: Request, ctx: Ctx) =>
  nextAuthHandler(req, (await ctx.params).nextauth),
);
