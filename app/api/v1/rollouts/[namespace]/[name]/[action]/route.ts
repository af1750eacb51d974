import { actionPathSchema, actionRequestSchema, contextQuerySchema } from '@/lib/schemas/actions';
import { auditActionRefusal, checkAction, performAction } from '@/server/actions/perform-action';
import { json, route } from '@/server/http/route';
import { resolveContext } from '@/server/runtime/request-context';

export const dynamic = 'force-dynamic';

/**
 * `POST /api/v1/rollouts/{ns}/{name}/{action}`: one action of the catalogue (lib/actions), run by server/actions.
 * 200 `{result, patch, target, patches}` or `{error}`; an unknown action is a 404, and every refusal of a signed-in
 * user (bad path, body or JSON, too large, unknown load target) is audited with what was asked.
 */
export const POST = route(
  {
    params: actionPathSchema,
    notFound: ['action'],
    query: contextQuerySchema,
    body: actionRequestSchema,
    check: checkAction,
    refused: auditActionRefusal,
  },
  async ({ params: { namespace, name }, query, body }, { who }) => {
    const context = resolveContext(query.context);
    return json(await performAction({ request: body, context, namespace, name }, who));
  },
);
