import { describe, expect, it } from 'vitest';
import { indicatorObject, parsePattern, PatternError, patternOf, planImport, stixIdOf, tlp2Ids } from './stix.ts';
import type { SharingIndicatorTable } from '../../core/db/schema.ts';

describe('STIX patterns', () => {
  it('reads the single-comparison form, with escapes and quoted hash names', () => {
    expect(parsePattern("[ipv4-addr:value = '198.51.100.1']")).toEqual({ path: 'ipv4-addr:value', value: '198.51.100.1' });
    expect(parsePattern("[file:hashes.'SHA-256' = 'ab']")).toEqual({ path: 'file:hashes.sha-256', value: 'ab' });
    expect(parsePattern("[url:value = 'http://x.test/?a=\\'b\\\\c']")).toEqual({ path: 'url:value', value: "http://x.test/?a='b\\c" });
  });
  it('refuses everything else', () => {
    for (const p of [
      "[ipv4-addr:value = '1.2.3.4'] AND [ipv4-addr:value = '1.2.3.5']",
      "[ipv4-addr:value = '1.2.3.4' OR ipv4-addr:value = '1.2.3.5']",
      "[ipv4-addr:value != '1.2.3.4']",
      "[ipv4-addr:value MATCHES '1.2.3.4']",
      "[ipv4-addr:value = '1.2.3.4'] WITHIN 300 SECONDS",
      "ipv4-addr:value = '1.2.3.4'",
      "[ipv4-addr:value = '1.2.3.4]",
      "[ipv4-addr:value = '\\x']",
      `[ipv4-addr:value = '${'a'.repeat(5000)}']`,
    ]) {
      expect(() => parsePattern(p), p).toThrow(PatternError);
    }
  });
  it('writes patterns that read back', () => {
    expect(patternOf('cidr', '2001:db8::/32')).toBe("[ipv6-addr:value = '2001:db8::/32']");
    expect(parsePattern(patternOf('url', "http://x.test/'\\"))).toEqual({ path: 'url:value', value: "http://x.test/'\\" });
  });
});

describe('STIX export', () => {
  it('gives stable ids and fails closed without a marking', () => {
    expect(stixIdOf('report', 'a')).toBe(stixIdOf('report', 'a'));
    expect(stixIdOf('report', 'a')).not.toBe(stixIdOf('report', 'b'));
    const row = { id: 'i1', report_id: 'r1', type: 'domain', value: 'x.test', value_id: null, tlp: null, effective_tlp: 'green', first_seen: '2026-01-01T00:00:00.000Z', last_seen: '2026-01-01T00:00:00.000Z', created_at: '2026-01-01T00:00:00.000Z' } as SharingIndicatorTable;
    expect(indicatorObject(row, 'o1').object_marking_refs).toEqual([tlp2Ids.green]);
    expect(() => indicatorObject({ ...row, effective_tlp: null as never }, 'o1')).toThrow(/no TLP marking/);
  });
});

describe('STIX import planning', () => {
  const now = '2026-01-01T00:00:00.000Z';
  it('names the place of a problem', () => {
    const b = { type: 'bundle', id: `bundle--${crypto.randomUUID()}`, objects: [{ type: 'indicator', id: `indicator--${crypto.randomUUID()}`, pattern: "[ipv4-addr:value = '1.2.3.4']", pattern_type: 'snort', valid_from: now, object_marking_refs: [tlp2Ids.green] }] };
    expect(() => planImport(b, { recipientOrganisationIds: [] }, now)).toThrow(/^objects\[0\]\.pattern_type: /);
  });
});
