import 'server-only';
import { isIP } from 'node:net';
import { peerAddress } from '../http/peer-header';

/** An address in one spelling: IPv4-mapped IPv6 as IPv4, IPv6 expanded and lower-case; '' when not an address. */
export function normalizeAddress(raw: string): string {
  let a = raw.trim().toLowerCase();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  const mapped = a.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
  if (mapped) a = mapped[1] as string;
  const kind = isIP(a);
  if (kind === 4) return a;
  if (kind !== 6) return '';
  const [head = '', tail] = a.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((h) => h.replace(/^0+(?=.)/, '')).join(':');
}

/** The key a source is throttled by: an IPv4 address, or the /64 of an IPv6 address (one host's usual share). */
export const sourceKey = (address: string): string =>
  address.includes(':') ? `${address.split(':').slice(0, 4).join(':')}::/64` : address;

/**
 * Where a request comes from: the TCP peer (server/http/peer-header.ts). Only when that peer is one of
 * `trustedProxies` is `X-Forwarded-For` read, from the right: the first address that is not a trusted proxy is the
 * client. A request without a peer (not through this server's listener) is 'unknown'.
 */
export function sourceAddress(headers: Headers, trustedProxies: readonly string[]): string {
  const peer = normalizeAddress(peerAddress(headers) ?? '');
  if (!peer) return 'unknown';
  const trusted = new Set(trustedProxies.map(normalizeAddress).filter(Boolean));
  if (!trusted.has(peer)) return peer;
  const chain = (headers.get('x-forwarded-for') ?? '').split(',').map(normalizeAddress);
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = chain[i] as string;
    if (!hop) return peer; // a malformed hop: nothing left of it can be believed
    if (!trusted.has(hop)) return hop;
  }
  return peer;
}
