import { z } from 'zod';
import { ROLES } from '../auth/roles';
import { loadTargetsSchema } from './load-targets';
import { dnsLabel, kubeContextName } from './names';
import { sloConfigSchema } from './slo-thresholds';

const url = z
  .url({ message: 'must be an http(s) URL' })
  .refine((u) => /^https?:\/\//.test(u), 'must be http(s)');

/** External tools the control center links to; every field has a default for the seed's port-forwards. */
export const linksSchema = z
  .object({
    argocd: z
      .object({ url: url.default('http://127.0.0.1:8080'), appNamespace: z.string().default('argocd') })
      .strict()
      .default({ url: 'http://127.0.0.1:8080', appNamespace: 'argocd' }),
    rollouts: z
      .object({ url: url.default('http://127.0.0.1:3100') })
      .strict()
      .default({ url: 'http://127.0.0.1:3100' }),
    grafana: z
      .object({ url: url.default('http://127.0.0.1:3000'), dashboardUid: z.string().default('canary') })
      .strict()
      .default({ url: 'http://127.0.0.1:3000', dashboardUid: 'canary' }),
    kiali: z
      .object({ url: url.default('http://127.0.0.1:20001') })
      .strict()
      .default({ url: 'http://127.0.0.1:20001' }),
    prometheus: z
      .object({ url: url.default('http://127.0.0.1:9090') })
      .strict()
      .default({ url: 'http://127.0.0.1:9090' }),
  })
  .strict();

const role = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });
const namespaceList = z.array(z.union([z.literal('*'), dnsLabel])).min(1);
/**
 * Shorthand for `scopes: [{context: <the default context>, namespaces}]`: THE DEFAULT CONTEXT ONLY (the first of
 * `contexts`, or the kubeconfig's current one). Omitted, with no `scopes` either: every namespace of the default context.
 */
const namespaces = namespaceList.optional();
/** Where an operator may act: namespaces (or `['*']`) of one kube context, or of every context with `context: '*'`. */
export const scopeSchema = z
  .object({ context: z.union([z.literal('*'), kubeContextName]), namespaces: namespaceList })
  .strict();
const scopes = z.array(scopeSchema).min(1).optional();
const oneOf = (b: { namespaces?: unknown; scopes?: unknown }) =>
  b.namespaces === undefined || b.scopes === undefined;
const ONE_OF = { message: 'set scopes or namespaces (the default context only), not both', path: ['scopes'] };

/** A local user: an argon2 hash only (`npm run hash-password`), never a plain password. */
export const localUserSchema = z
  .object({
    username: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'must be 1-64 letters, digits or . _ @ -'),
    passwordHash: z
      .string()
      .regex(
        /^\$argon2(id|i|d)\$v=\d+\$m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/,
        'must be an argon2 hash (npm run hash-password), never a plain password',
      ),
    role,
    namespaces,
    scopes,
  })
  .strict()
  .refine(oneOf, ONE_OF);

/** A generic OIDC provider (issuer discovery); the client secret may come from OIDC_CLIENT_SECRET instead. */
export const oidcSchema = z
  .object({
    issuer: url,
    clientId: z.string().min(1),
    clientSecret: z.string().min(1).optional(),
    /** The button label on the login page. */
    name: z.string().min(1).max(40).default('SSO'),
    scopes: z.string().default('openid profile email groups'),
    /** The ID token claim holding the user's groups (a list of strings). */
    groupsClaim: z.string().min(1).default('groups'),
  })
  .strict();

/** Maps an OIDC group to a role (a user in several groups gets the highest role). */
export const groupBindingSchema = z
  .object({ group: z.string().min(1), role, namespaces, scopes })
  .strict()
  .refine(oneOf, ONE_OF);

export const authSchema = z
  .object({
    /** A lab / development install: AUTH_SECRET may be missing (a per-process secret is made). Never in production. */
    lab: z.boolean().default(false),
    users: z
      .array(localUserSchema)
      .default([])
      .refine((u) => new Set(u.map((x) => x.username)).size === u.length, 'usernames must be unique'),
    oidc: oidcSchema.optional(),
    groups: z.array(groupBindingSchema).default([]),
    /** Role of an OIDC user none of whose groups is mapped (default: none, so they are refused). */
    defaultRole: role.optional(),
    sessionMaxAgeSeconds: z
      .number()
      .int()
      .min(300)
      .max(7 * 86_400)
      .default(8 * 3600),
    /**
     * Reverse proxies in front of the control center (exact IP addresses). Only a request whose TCP peer is one of
     * them has its X-Forwarded-For read (for sign-in throttling); by default no header names the client.
     */
    trustedProxies: z
      .array(z.union([z.ipv4(), z.ipv6()], { error: 'must be an IP address' }))
      .max(100)
      .default([]),
    /** Rollout actions per user per minute (429 beyond). */
    actionsPerMinute: z.number().int().min(1).max(100_000).default(30),
  })
  .strict();

/** Bounds on the live streams (GET /api/v1/stream): 429 past the caps, a slow reader's stream closed past the queue. */
export const streamsSchema = z
  .object({
    /** Open streams per signed-in user (every tab and page holds one; the overview one per context). */
    perUser: z.number().int().min(1).max(1000).default(8),
    /** Open streams in all. */
    total: z.number().int().min(1).max(100_000).default(500),
    /** Bytes a stream may queue for a client that reads slower than events come; past it: `overflow`, closed. */
    queueBytes: z
      .number()
      .int()
      .min(64 * 1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
  })
  .strict();

const seconds = (dflt: number) => z.number().positive().max(3600).default(dflt);
/** client-go's defaults (15 s / 10 s / 2 s); the namespace defaults to the pod's own (service account), else control-center. */
const leaderElectionSchema = z
  .object({
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a namespace name (lowercase RFC 1123 label)')
      .max(63)
      .optional(),
    leaseName: z
      .string()
      .regex(
        /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
        'a Lease name (lowercase RFC 1123 subdomain)',
      )
      .max(253)
      .default('control-center-recorder'),
    leaseDurationSeconds: seconds(15),
    renewDeadlineSeconds: seconds(10),
    retryPeriodSeconds: seconds(2),
  })
  .strict()
  .refine(
    (l) => l.leaseDurationSeconds > l.renewDeadlineSeconds && l.renewDeadlineSeconds > l.retryPeriodSeconds,
    {
      message: 'needs leaseDurationSeconds > renewDeadlineSeconds > retryPeriodSeconds',
    },
  );

/** The file named by CONTROL_CENTER_CONFIG (YAML): links, SLO defaults, namespaces, users/roles and OIDC. */
export const controlCenterConfigSchema = z
  .object({
    links: linksSchema.default(linksSchema.parse({})),
    /** SLO thresholds for every rollout, per namespace and per rollout (lib/schemas/slo-thresholds.ts). */
    slo: sloConfigSchema.default({ namespaces: {}, rollouts: {} }),
    namespaces: z.array(z.string()).optional(),
    /**
     * The kube contexts (of the kubeconfig) the control center watches side by side; the first is the default.
     * Omitted: the kubeconfig's current context only. A context may bring its own Prometheus.
     */
    contexts: z
      .array(
        z
          .object({
            name: z.string().min(1).max(253),
            prometheusUrl: url.optional(),
          })
          .strict(),
      )
      .min(1)
      .refine((c) => new Set(c.map((x) => x.name)).size === c.length, 'context names must be unique')
      .optional(),
    auth: authSchema.default(authSchema.parse({})),
    streams: streamsSchema.default(streamsSchema.parse({})),
    /**
     * Where load Jobs may send traffic, chosen by name in the load action (the first is the default). Omitted: one
     * target `gateway` (LOADGEN_TARGET_URL, LOADGEN_HOST; default the lab gateway with Host webapp.local).
     */
    loadTargets: loadTargetsSchema.optional(),
    /**
     * Several replicas: the timeline recorder writes only on the replica holding this Lease (one per kube context,
     * in that context's cluster). Omitted: one replica, which always records.
     */
    /** Absent: on with every default when the store is shared (DATABASE_URL), off otherwise; `false`: off. */
    leaderElection: z.union([leaderElectionSchema, z.literal(false)]).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    // With `contexts:` listed, a scope naming another context is a typo that would silently grant nothing.
    if (!c.contexts) return;
    const known = c.contexts.map((x) => x.name);
    const check = (where: 'users' | 'groups', list: ReadonlyArray<{ scopes?: Array<{ context: string }> }>) =>
      list.forEach((b, i) => {
        b.scopes?.forEach((s, j) => {
          if (s.context !== '*' && !known.includes(s.context))
            ctx.addIssue({
              code: 'custom',
              path: ['auth', where, i, 'scopes', j, 'context'],
              message: `no context "${s.context}" in contexts (configured: ${known.join(', ')}; '*' for every one)`,
            });
        });
      });
    check('users', c.auth.users);
    check('groups', c.auth.groups);
  });

export type ControlCenterConfig = z.infer<typeof controlCenterConfigSchema>;
export type LinksConfig = z.infer<typeof linksSchema>;
export type LeaderElectionConfig = z.infer<typeof leaderElectionSchema>;
/** Every default of leader election (what an absent `leaderElection` means with a shared store). */
export const leaderElectionDefaults = (): LeaderElectionConfig => leaderElectionSchema.parse({});
export type AuthConfig = z.infer<typeof authSchema>;
export type StreamsConfig = z.infer<typeof streamsSchema>;
export type LocalUser = z.infer<typeof localUserSchema>;
