// Sign-up limits count per network: IPv4 /24, IPv6 /64, IPv4-mapped IPv6 as IPv4.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientNetwork } from '../../src/domain/client-network.ts';

describe('clientNetwork', () => {
  it('groups IPv4 by /24 and IPv6 by /64', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.0/24');
    expect(clientNetwork('::ffff:203.0.113.9')).toBe('203.0.113.0/24');
    expect(clientNetwork('2001:db8:aa:bb::1')).toBe('2001:db8:aa:bb::/64');
    expect(clientNetwork('2001:0db8:00aa:00bb:ffff:1:2:3')).toBe('2001:db8:aa:bb::/64');
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork('unknown')).toBe('other:unknown');
  });

  it('gives every host of a /64 (or /24) the same network, and never throws', () => {
    fc.assert(
      fc.property(fc.ipV6(), fc.ipV6(), (x, y) => {
        const a = clientNetwork(x);
        expect(a).toMatch(/\/(64|24)$/);
        const prefix = a.replace(/::\/64$/, '').split(':');
        if (prefix.length === 4 && !a.endsWith('/24')) {
          const host = y.includes('.') ? '1:2:3:4' : '5:6:7:8';
          expect(clientNetwork(`${prefix.join(':')}:${host}`)).toBe(a);
        }
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 255 }), (ip, last) => {
        const net = clientNetwork(ip);
        expect(clientNetwork(ip.replace(/\d+$/, String(last)))).toBe(net);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string(), (s) => typeof clientNetwork(s) === 'string'),
      { numRuns: 300 },
    );
  });
});
