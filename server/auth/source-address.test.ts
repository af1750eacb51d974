import { describe, expect, it } from 'vitest';
import { PEER_HEADER, peerHeaderValue } from '../http/peer-header';
import { normalizeAddress, sourceAddress, sourceKey } from './source-address';

const headers = (peer: string | null, xff?: string, raw?: string) =>
  new Headers({
    ...(peer !== null ? { [PEER_HEADER]: peerHeaderValue(peer) } : {}),
    ...(raw ? { [PEER_HEADER]: raw } : {}),
    ...(xff ? { 'x-forwarded-for': xff } : {}),
  });

describe('source address', () => {
  it('normalizes addresses and groups IPv6 by /64', () => {
    expect(normalizeAddress('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(normalizeAddress('2001:DB8::1')).toBe('2001:db8:0:0:0:0:0:1');
    expect(normalizeAddress('[::1]')).toBe('0:0:0:0:0:0:0:1');
    expect(normalizeAddress('evil')).toBe('');
    expect(sourceKey('2001:db8:0:0:0:0:0:1')).toBe('2001:db8:0:0::/64');
    expect(sourceKey('2001:db8:0:0:ffff:0:0:9')).toBe('2001:db8:0:0::/64');
    expect(sourceKey('127.0.0.1')).toBe('127.0.0.1');
  });

  it('is the TCP peer; a client-sent X-Forwarded-For is ignored without trusted proxies', () => {
    expect(sourceAddress(headers('::ffff:127.0.0.1', '198.51.100.7'), [])).toBe('127.0.0.1');
  });

  it('a peer header the server did not set (no token) counts for nothing', () => {
    expect(sourceAddress(headers(null, undefined, '0 198.51.100.7'), [])).toBe('unknown');
    expect(sourceAddress(headers(null, undefined, '198.51.100.7'), [])).toBe('unknown');
    expect(sourceAddress(headers(null), [])).toBe('unknown');
  });

  it('behind trusted proxies: the rightmost address that is not one of them', () => {
    const proxies = ['10.0.0.5', '10.0.0.6'];
    expect(sourceAddress(headers('10.0.0.5', '198.51.100.7, 10.0.0.6'), proxies)).toBe('198.51.100.7');
    // What the client itself wrote on the left stays unbelieved.
    expect(sourceAddress(headers('10.0.0.5', '1.2.3.4, 198.51.100.7'), proxies)).toBe('198.51.100.7');
    // Not from a trusted proxy: the header is the client's own words.
    expect(sourceAddress(headers('198.51.100.9', '1.2.3.4'), proxies)).toBe('198.51.100.9');
    // A proxy that sent no header (or a malformed hop): the proxy itself.
    expect(sourceAddress(headers('10.0.0.5'), proxies)).toBe('10.0.0.5');
    expect(sourceAddress(headers('10.0.0.5', 'junk'), proxies)).toBe('10.0.0.5');
  });
});
