import { type ActionPath, performAction } from '@/server/actions/perform-action';
import { guarded } from '@/server/auth/guard';

export const dynamic = 'force-dynamic';

/** `POST /api/v1/rollouts/{ns}/{name}/{action}`: one action of the catalogue (lib/actions), run by server/actions. */
export const POST = guarded(
  async (req: Request, ctx: { params: Promise<ActionPath> }, who): Promise<Response> =>
    performAction(req, await ctx.params, who),
);
