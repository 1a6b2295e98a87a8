import { describe, expect, it } from 'vitest';
import { bareIp, isIpv4, isIpv6, isPrivateIp, parseMailDate, parseTime } from './net.ts';

describe('IP addresses', () => {
  it('recognises IPv4 and IPv6, bracketed and IPv6: forms', () => {
    expect(isIpv4('198.51.100.37')).toBe(true);
    expect(isIpv4('256.1.1.1')).toBe(false);
    expect(isIpv6('2001:db8::1')).toBe(true);
    expect(isIpv6('::ffff:192.0.2.1')).toBe(true);
    expect(isIpv6('2001:db8:0:0:0:0:0:1')).toBe(true);
    expect(isIpv6('2001:db8::1::2')).toBe(false);
    expect(isIpv6('abc')).toBe(false);
    expect(bareIp('[203.0.113.5]')).toBe('203.0.113.5');
    expect(bareIp('[IPv6:2001:db8::25]')).toBe('2001:db8::25');
    expect(bareIp('mx.example.org')).toBeNull();
  });
  it('knows private ranges', () => {
    for (const ip of ['10.20.0.5', '192.168.1.23', '172.16.4.1', '127.0.0.1', 'fd00::1', 'fe80::1', '::1', '100.64.0.1']) expect(isPrivateIp(ip)).toBe(true);
    for (const ip of ['198.51.100.37', '8.8.8.8', '2001:db8::1', '172.32.0.1']) expect(isPrivateIp(ip)).toBe(false);
  });
});

describe('times', () => {
  it('reads RFC 5322 dates with offsets and zone names', () => {
    expect(new Date(parseMailDate('Mon, 10 Mar 2025 08:42:21 +0100')).toISOString()).toBe('2025-03-10T07:42:21.000Z');
    expect(new Date(parseMailDate('Mon, 10 Mar 2025 07:42:19 +0000 (UTC)')).toISOString()).toBe('2025-03-10T07:42:19.000Z');
    expect(new Date(parseMailDate('10 Mar 2025 02:42:19 EST')).toISOString()).toBe('2025-03-10T07:42:19.000Z');
    expect(parseMailDate('yesterday')).toBeNaN();
  });
  it('reads ISO, syslog and epoch times', () => {
    expect(parseTime('2025-03-10T06:55:02.481377+00:00')).toBe(Date.UTC(2025, 2, 10, 6, 55, 2, 481));
    expect(parseTime('2025-03-10T08:55:02+02:00')).toBe(Date.UTC(2025, 2, 10, 6, 55, 2));
    expect(parseTime('2025-03-10 06:55:02')).toBe(Date.UTC(2025, 2, 10, 6, 55, 2));
    expect(parseTime('Mar 10 06:55:02', 2025)).toBe(Date.UTC(2025, 2, 10, 6, 55, 2));
    expect(parseTime('1741589702')).toBe(Date.UTC(2025, 2, 10, 6, 55, 2));
    expect(parseTime('LOGIN')).toBeNaN();
  });
});
