import { describe, expect, it } from 'vitest';
import { indicatorObject, parsePattern, PatternError, patternOf, stixIdOf, tlp2Ids } from './stix.ts';
import { readBundle } from './stix-reader.ts';
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

describe('Reading a bundle as a stream', () => {
  const limits = { maxObjects: 3, maxDepth: 6, maxValuesPerObject: 50, maxStringLength: 100 };
  async function read(text: string, chunk = 7) {
    const objects: Array<[unknown, number]> = [];
    async function* chunks() {
      for (let i = 0; i < text.length; i += chunk) yield text.slice(i, i + chunk);
    }
    const head = await readBundle(chunks(), limits, (o, i) => {
      objects.push([o, i]);
    });
    return { head, objects };
  }

  it('hands over each object in order, whatever the chunking, with the bundle fields before or after', async () => {
    const b = { objects: [{ a: [1, { b: null }], s: 'é\u00e9"' }, 2, 'x'], type: 'bundle', id: 'bundle--1' };
    for (const size of [1, 3, 1000]) {
      const { head, objects } = await read(JSON.stringify(b), size);
      expect(head).toEqual({ type: 'bundle', id: 'bundle--1', hasObjects: true, objects: 3 });
      expect(objects).toEqual(b.objects.map((o, i) => [o, i]));
    }
  });
  it('keeps __proto__ as data, as JSON.parse does', async () => {
    const { objects } = await read('{"type":"bundle","objects":[{"__proto__":{"polluted":1}}]}');
    expect(Object.getPrototypeOf(objects[0]![0])).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('refuses, naming the place: too many objects, too deep, too long, too many values, not JSON, truncated, not an object', async () => {
    const cases: Array<[string, RegExp]> = [
      ['{"type":"bundle","objects":[1,2,3,4]}', /^objects: more than 3 objects/],
      ['{"type":"bundle","objects":[{},{"a":{"b":{"c":{"d":{"e":{}}}}}}]}', /^objects\[1\]: nested deeper than 6/],
      [`{"type":"bundle","objects":[{"a":"${'x'.repeat(101)}"}]}`, /^objects\[0\]: a string or number longer than 100/],
      [`{"pad":"${'x'.repeat(101)}","objects":[]}`, /^pad: a string or number longer/],
      [`{"type":"bundle","objects":[[${new Array(60).fill(0).join(',')}]]}`, /^objects\[0\]: more than 50 JSON values/],
      ['{"type":"bundle","objects":[{]}', /^body: not valid JSON/],
      ['{"type":"bundle","objects":[{}', /^body: not valid JSON/],
      ['[1]', /^body: a STIX 2.1 bundle is a JSON object/],
      ['"x"', /^body: a STIX 2.1 bundle is a JSON object/],
      ['{"type":"report","objects":[]}', /^type: must be "bundle"/],
      ['{"type":"bundle","objects":{}}', /^objects: must be an array/],
    ];
    for (const [text, message] of cases) await expect(read(text), text.slice(0, 60)).rejects.toThrow(message);
  });
});
