import { createPrivateKey, createPublicKey, randomUUID, sign, verify } from 'node:crypto';

/** The issuer and default audience of the lab's ServiceAccount tokens (kube-apiserver's default for a cluster). */
export const ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** The claims of a bound ServiceAccount token, as kube-apiserver writes them. */
export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': { namespace: string; serviceaccount: { name: string; uid: string } };
}

const b64 = (v: Buffer | string) => Buffer.from(v).toString('base64url');

/**
 * Signs and verifies ServiceAccount tokens: ES256 JWTs with the lab's key, so they cannot be guessed or forged and
 * expire at `exp`. Verification checks the signature, the issuer, the audience and the time window only; the caller
 * checks the ServiceAccount still exists with the same uid.
 */
export class TokenSigner {
  private readonly privateKey;
  private readonly publicKey;

  constructor(keyPem: string) {
    this.privateKey = createPrivateKey(keyPem);
    this.publicKey = createPublicKey(this.privateKey);
  }

  issue(o: {
    namespace: string;
    name: string;
    uid: string;
    audiences: string[];
    expirationSeconds: number;
    now?: Date;
  }): { token: string; expiresAt: Date } {
    const iat = Math.floor((o.now ?? new Date()).getTime() / 1000);
    const claims: TokenClaims = {
      iss: ISSUER,
      sub: `system:serviceaccount:${o.namespace}:${o.name}`,
      aud: o.audiences,
      exp: iat + o.expirationSeconds,
      iat,
      nbf: iat,
      jti: randomUUID(),
      'kubernetes.io': { namespace: o.namespace, serviceaccount: { name: o.name, uid: o.uid } },
    };
    const input = `${b64(JSON.stringify({ alg: 'ES256', kid: 'lab' }))}.${b64(JSON.stringify(claims))}`;
    const sig = sign('sha256', Buffer.from(input), { key: this.privateKey, dsaEncoding: 'ieee-p1363' });
    return { token: `${input}.${b64(sig)}`, expiresAt: new Date(claims.exp * 1000) };
  }

  /** The claims of a valid token for `audience`, or null (bad signature, another issuer or audience, expired). */
  verify(token: string, audience: string = ISSUER, now: Date = new Date()): TokenClaims | null {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const [header, payload, sig] = parts as [string, string, string];
    let claims: TokenClaims;
    try {
      const h = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
      if (h.alg !== 'ES256') return null;
      const ok = verify(
        'sha256',
        Buffer.from(`${header}.${payload}`),
        { key: this.publicKey, dsaEncoding: 'ieee-p1363' },
        Buffer.from(sig, 'base64url'),
      );
      if (!ok) return null;
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return null;
    }
    const t = Math.floor(now.getTime() / 1000);
    if (claims.iss !== ISSUER || !Array.isArray(claims.aud) || !claims.aud.includes(audience)) return null;
    if (typeof claims.exp !== 'number' || t >= claims.exp || typeof claims.nbf !== 'number' || t < claims.nbf)
      return null;
    const k = claims['kubernetes.io'];
    if (!k?.namespace || !k.serviceaccount?.name || !k.serviceaccount.uid) return null;
    return claims;
  }
}
