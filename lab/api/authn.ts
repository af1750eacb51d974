import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SYSTEM_MASTERS, serviceAccountUser } from '../rbac/authorize';
import type { TokenSigner } from '../rbac/tokens';
import type { UserInfo } from '../rbac/types';
import type { LabStore } from '../store/lab-store';
import { resource } from '../store/resources';
import { StatusError } from '../store/status-error';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The lab's admin: the kubeconfig's static token, in system:masters (kubeadm's admin.conf user before 1.29). */
export const ADMIN: UserInfo = { name: 'kubernetes-admin', groups: [SYSTEM_MASTERS, 'system:authenticated'] };

export const unauthorized = () => new StatusError(401, 'Unauthorized', 'Unauthorized');

export interface Authenticator {
  /** The user a bearer token names; null without an Authorization header; throws 401 for a token that is not valid. */
  authenticate(req: IncomingMessage): UserInfo | null;
}

/**
 * Token authentication as the lab serves it: the admin's static token (compared in constant time), or a ServiceAccount
 * token (a JWT signed by the lab, unexpired, for the API's audience) whose ServiceAccount still exists with the uid the
 * token was issued for. A ServiceAccount is `system:serviceaccount:<ns>:<name>` in the groups `system:serviceaccounts`,
 * `system:serviceaccounts:<ns>` and `system:authenticated`.
 */
export function tokenAuthenticator(adminToken: string, signer: TokenSigner, store: LabStore): Authenticator {
  const admin = digest(adminToken);
  const serviceAccounts = resource('serviceaccounts');
  return {
    authenticate(req) {
      const header = req.headers.authorization;
      if (header === undefined) return null;
      const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
      if (!token) throw unauthorized();
      if (timingSafeEqual(digest(token), admin)) return ADMIN;
      const claims = signer.verify(token);
      if (!claims) throw unauthorized();
      const { namespace, serviceaccount } = claims['kubernetes.io'];
      const sa = store.get(serviceAccounts, namespace, serviceaccount.name);
      if (!sa || sa.metadata.uid !== serviceaccount.uid) throw unauthorized();
      return {
        name: serviceAccountUser(namespace, serviceaccount.name),
        uid: serviceaccount.uid,
        groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
      };
    },
  };
}
