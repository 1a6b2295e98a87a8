import { describe, expect, it } from 'vitest';
import { normaliseIndicator, normalisedCandidates } from './indicators.ts';

describe('indicator normalisation', () => {
  it('writes IPv6 in RFC 5952 form', () => {
    expect(normaliseIndicator('ipv6', '2001:DB8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(normaliseIndicator('ipv6', '0:0:0:0:0:0:0:0')).toBe('::');
    expect(normaliseIndicator('ipv6', '::ffff:192.0.2.1')).toBe('::ffff:c000:201');
    expect(normaliseIndicator('ipv6', '2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(() => normaliseIndicator('ipv6', '2001:db8::1::2')).toThrow(/IPv6/);
  });

  it('clears the host bits of a CIDR block', () => {
    expect(normaliseIndicator('cidr', '10.1.2.3/8')).toBe('10.0.0.0/8');
    expect(normaliseIndicator('cidr', '2001:DB8::1/32')).toBe('2001:db8::/32');
    expect(() => normaliseIndicator('cidr', '10.0.0.0/33')).toThrow(/0–32/);
  });

  it('refuses what is not of the type', () => {
    expect(() => normaliseIndicator('ipv4', '010.0.0.1')).toThrow();
    expect(() => normaliseIndicator('domain', 'localhost')).toThrow(/two labels/);
    expect(() => normaliseIndicator('domain', '-bad.test')).toThrow(/label/);
    expect(() => normaliseIndicator('md5', 'z'.repeat(32))).toThrow(/32 hexadecimal/);
    expect(() => normaliseIndicator('url', 'javascript:alert(1)')).toThrow();
    expect(() => normaliseIndicator('phone', '0123456789')).toThrow(/international/);
    expect(() => normaliseIndicator('email', 'a..b@evil.test')).toThrow();
  });

  it('lower-cases IDN domains to punycode and keeps Base58 bitcoin addresses as written', () => {
    expect(normaliseIndicator('domain', 'BÜCHER.example')).toBe('xn--bcher-kva.example');
    expect(normaliseIndicator('bitcoin', '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2')).toBe('1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2');
  });

  it('offers every typed reading of a value for a search without type', () => {
    expect(normalisedCandidates('Evil.Test')).toContain('evil.test');
    expect(normalisedCandidates('D41D8CD98F00B204E9800998ECF8427E')).toContain('d41d8cd98f00b204e9800998ecf8427e');
  });
});
