import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ISSUER, TokenSigner } from './tokens';

/** A P-256 key like the lab's serving key (which signs the lab's tokens). */
const key = () =>
  generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'sec1', format: 'pem' })
    .toString();
const signer = new TokenSigner(key());
const now = new Date('2026-01-01T00:00:00Z');
const issue = (o: Partial<Parameters<TokenSigner['issue']>[0]> = {}) =>
  signer.issue({
    namespace: 'cc',
    name: 'control-center',
    uid: 'u-1',
    audiences: [ISSUER],
    expirationSeconds: 600,
    now,
    ...o,
  });
const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe('ServiceAccount tokens', () => {
  it('verify with the claims kube-apiserver writes, until they expire', () => {
    const { token, expiresAt } = issue();
    expect(expiresAt).toEqual(at(600));
    expect(signer.verify(token, ISSUER, at(599))).toMatchObject({
      iss: ISSUER,
      sub: 'system:serviceaccount:cc:control-center',
      aud: [ISSUER],
      'kubernetes.io': { namespace: 'cc', serviceaccount: { name: 'control-center', uid: 'u-1' } },
    });
    expect(signer.verify(token, ISSUER, at(600))).toBeNull();
    expect(signer.verify(token, ISSUER, at(-1))).toBeNull();
  });

  it('refuse another key, a changed payload, another audience and garbage; each token is unique', () => {
    const { token } = issue();
    expect(new TokenSigner(key()).verify(token, ISSUER, now)).toBeNull();
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    claims.sub = 'system:serviceaccount:kube-system:admin';
    expect(
      signer.verify(`${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`, ISSUER, now),
    ).toBeNull();
    const none = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    expect(signer.verify(`${none}.${p}.`, ISSUER, now)).toBeNull();
    expect(signer.verify(issue({ audiences: ['vault'] }).token, ISSUER, now)).toBeNull();
    expect(signer.verify('not-a-token', ISSUER, now)).toBeNull();
    expect(issue().token).not.toBe(token);
  });
});
