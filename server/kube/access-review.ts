import 'server-only';
import { AuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { ACTION_NAMES, type ActionName } from '@/lib/actions/catalogue';
import {
  ACTION_PERMISSIONS,
  type ApiPermission,
  permissionKey,
  tokenReason,
} from '@/lib/rollout/action-permissions';

/** How long an answer of the API server is reused, and how many are kept (oldest dropped first). */
const TTL_MS = 30_000;
const MAX_ENTRIES = 2_000;

type Entry = { at: number; answer: Promise<boolean | undefined> };
type Reviews = Pick<AuthorizationV1Api, 'createSelfSubjectAccessReview'>;

/** Asks the API server (SelfSubjectAccessReview) whether the control center's own identity may make one request. */
async function review(api: Reviews, namespace: string, p: ApiPermission): Promise<boolean | undefined> {
  try {
    const res = await api.createSelfSubjectAccessReview({
      body: {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: {
          resourceAttributes: {
            namespace,
            verb: p.verb,
            group: p.group,
            resource: p.resource,
            ...(p.subresource ? { subresource: p.subresource } : {}),
            ...(p.name ? { name: p.name } : {}),
          },
        },
      },
    });
    return res.status?.allowed === true;
  } catch {
    // Unknown: nothing is greyed, and the API server still decides when the action runs.
    return undefined;
  }
}

/** One kube context's answers about the control center's own identity, reused for 30 s (the runtime keeps one). */
export class AccessReviews {
  private readonly cache = new Map<string, Entry>();
  private readonly api: Reviews;

  constructor(kc: KubeConfig) {
    this.api = kc.makeApiClient(AuthorizationV1Api);
  }

  /** The cached answer for one request of the control center's identity (reviewed again after 30 s). */
  mayRequest(namespace: string, p: ApiPermission, now = Date.now()): Promise<boolean | undefined> {
    const key = permissionKey(p, namespace);
    const hit = this.cache.get(key);
    if (hit && now - hit.at < TTL_MS) return hit.answer;
    this.cache.delete(key);
    while (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    const answer = review(this.api, namespace, p);
    this.cache.set(key, { at: now, answer });
    return answer;
  }

  /**
   * Why the control center's own identity (its ServiceAccount in a cluster, the kubeconfig's user elsewhere) may not
   * run each action in a namespace, or null where it may: the UI greys those buttons with the reason.
   */
  async identityReasons(namespace: string): Promise<Record<ActionName, string | null>> {
    const perms = [
      ...new Map(
        Object.values(ACTION_PERMISSIONS)
          .flat()
          .map((p) => [permissionKey(p, namespace), p]),
      ).values(),
    ];
    const answers = new Map(
      await Promise.all(
        perms.map(async (p) => [permissionKey(p, namespace), await this.mayRequest(namespace, p)] as const),
      ),
    );
    return Object.fromEntries(
      ACTION_NAMES.map((a) => [
        a,
        tokenReason(a, namespace, (p) => answers.get(permissionKey(p, namespace))),
      ]),
    ) as Record<ActionName, string | null>;
  }
}
