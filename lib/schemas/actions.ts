import { z } from 'zod';
import { ACTION_NAMES, type ActionName } from '../actions/catalogue';
import { IMAGE_EXAMPLE, IMAGE_MAX_LENGTH, IMAGE_RE } from './image-reference';
import { loadTargetName } from './load-targets';
import { dnsLabel, dnsSubdomain, kubeContextName } from './names';

export { ACTION_NAMES, type ActionName, isActionName } from '../actions/catalogue';

export const rolloutParamsSchema = z.object({ namespace: dnsLabel, name: dnsSubdomain });

/** `[action]`: one of the catalogue; anything else names no action (the route answers 404 with this message). */
export const actionNameSchema = z.enum(ACTION_NAMES, {
  error: (issue) => `unknown action "${String(issue.input)}" (one of ${ACTION_NAMES.join(', ')})`,
});
/** The action route's path: `rollouts/{namespace}/{name}/{action}`. */
export const actionPathSchema = rolloutParamsSchema.extend({ action: actionNameSchema });

/** A container image reference: `registry[:port]/repo/name:tag@sha256:<hex>` (registry, tag and digest optional). */
export const imageReference = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(IMAGE_MAX_LENGTH, `must be at most ${IMAGE_MAX_LENGTH} characters`)
  .regex(IMAGE_RE, `must be an image reference such as ${IMAGE_EXAMPLE}`);

export const emptyBodySchema = z.strictObject({});
export const launchBodySchema = z.strictObject({ image: imageReference });
export const undoBodySchema = z.strictObject({
  revision: z.number().int('must be a whole number').min(1, 'must be at least 1'),
});

export const faultsBodySchema = z
  .strictObject({
    scope: z.enum(['canary', 'mesh']),
    errorRate: z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').default(0),
    latencyMs: z
      .number()
      .int('must be a whole number of milliseconds')
      .min(0, 'must be between 0 and 60000')
      .max(60_000, 'must be between 0 and 60000')
      .default(0),
    /** The HTTP status a mesh abort answers with (default 503). */
    httpStatus: z.number().int().min(400).max(599).default(503),
    clear: z.boolean().default(false),
  })
  .refine((b) => b.clear || b.errorRate > 0 || b.latencyMs > 0, {
    message: 'set errorRate or latencyMs above 0, or clear: true',
    path: ['errorRate'],
  });

export const loadBodySchema = z
  .strictObject({
    stop: z.literal(true).optional(),
    rps: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be 1..500')
      .max(500, 'must be 1..500')
      .optional(),
    durationSeconds: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be 1..3600')
      .max(3600, 'must be 1..3600')
      .optional(),
    /** A configured load target by name (CONTROL_CENTER_CONFIG `loadTargets`; omitted: the first). Never a URL. */
    target: loadTargetName.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.stop) return;
    if (b.rps === undefined) ctx.addIssue({ code: 'custom', path: ['rps'], message: 'is required (1..500)' });
    if (b.durationSeconds === undefined)
      ctx.addIssue({ code: 'custom', path: ['durationSeconds'], message: 'is required (1..3600)' });
  });

export type LaunchBody = z.infer<typeof launchBodySchema>;
export type UndoBody = z.infer<typeof undoBodySchema>;
export type FaultsBody = z.infer<typeof faultsBodySchema>;
export type LoadBody = z.infer<typeof loadBodySchema>;

/** The body schema of each action (actions without a body take `{}` or nothing). */
export const actionBodySchemas = {
  launch: launchBodySchema,
  promote: emptyBodySchema,
  'promote-full': emptyBodySchema,
  abort: emptyBodySchema,
  retry: emptyBodySchema,
  restart: emptyBodySchema,
  pause: emptyBodySchema,
  resume: emptyBodySchema,
  undo: undoBodySchema,
  faults: faultsBodySchema,
  load: loadBodySchema,
} as const satisfies Record<ActionName, z.ZodType>;

type NoBodyAction = Exclude<ActionName, 'launch' | 'undo' | 'faults' | 'load'>;
/** An action with its validated body. */
export type ActionRequest =
  | { action: 'launch'; body: LaunchBody }
  | { action: 'undo'; body: UndoBody }
  | { action: 'faults'; body: FaultsBody }
  | { action: 'load'; body: LoadBody }
  | { action: NoBodyAction; body: Record<string, never> };

/** Validates an action's body (`undefined` counts as `{}`): the request or the zod error naming each bad field. */
export function parseActionRequest(
  action: ActionName,
  body: unknown,
): { success: true; data: ActionRequest } | { success: false; error: z.ZodError } {
  const r = actionBodySchemas[action].safeParse(body ?? {});
  if (!r.success) return { success: false, error: r.error };
  return { success: true, data: { action, body: r.data } as ActionRequest };
}

/** The body of the path's action as its request (`undefined`, an empty body, counts as `{}`). */
export function actionRequestSchema({ action }: { action: ActionName }): z.ZodType<ActionRequest, unknown> {
  return z
    .preprocess((body) => body ?? {}, actionBodySchemas[action])
    .transform((body) => ({ action, body }) as ActionRequest);
}

// Query strings of the rollout and stream routes (kept here with the other rollout route inputs).
/** `?context=`: which configured kube context (omitted: the default one; on the list, every context). */
const context = kubeContextName.optional();
export const contextQuerySchema = z.strictObject({ context });
export const rolloutListQuerySchema = z.strictObject({ namespace: dnsLabel.optional(), context });
export const rolloutViewQuerySchema = z.strictObject({
  raw: z.enum(['0', '1', 'true', 'false']).optional(),
  context,
});
export const streamQuerySchema = z
  .strictObject({
    context,
    namespace: dnsLabel.optional(),
    rollout: dnsSubdomain.optional(),
    /**
     * `view`: the rollout page's projection (needs namespace and rollout) instead of the raw objects; `summary`: the
     * overview's rows of the whole context (no namespace or rollout).
     */
    shape: z.enum(['raw', 'view', 'summary']).optional(),
    /** From the Last-Event-ID header (or this query parameter for clients that cannot set headers). */
    lastEventId: z
      .string()
      .regex(/^\d{1,20}$/, 'must be an event id (digits)')
      .optional(),
  })
  .refine((q) => q.shape !== 'view' || (q.namespace && q.rollout), {
    path: ['shape'],
    message: 'shape=view needs namespace and rollout',
  })
  .refine((q) => q.shape !== 'summary' || (!q.namespace && !q.rollout), {
    path: ['shape'],
    message: 'shape=summary is every rollout of the context: no namespace or rollout',
  });
export type StreamQuery = z.infer<typeof streamQuerySchema>;
/** `GET rollouts/{ns}/{name}/traffic?minutes=` — the chart range, 1 minute to 3 hours (default 15). */
export const trafficQuerySchema = z.strictObject({
  minutes: z.coerce.number().int().min(1).max(180).default(15),
  context,
});
