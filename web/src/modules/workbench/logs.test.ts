import { describe, expect, it } from 'vitest';
import { filterRows, histogram, parseDelimited, parseLog, sortRows, timeSpan, topValues } from './logs.ts';
import { demo, sample } from './fixtures.ts';

describe('delimited files', () => {
  it('handles quotes, doubled quotes, separators and line breaks inside quotes', () => {
    const rows = parseDelimited('a,b,c\n"x, y","say ""hi""",3\r\n"multi\nline",,end\n', ',');
    expect(rows.map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', '3'],
      ['multi\nline', '', 'end'],
    ]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3]);
  });
});

describe('format detection and columns', () => {
  it('reads the demo VPN export as CSV with its time column', () => {
    const table = parseLog(demo.vpn);
    expect(table.format).toBe('csv');
    expect(table.columns.slice(0, 4)).toEqual(['timestamp_utc', 'event', 'username', 'source_ip']);
    expect(table.timeColumn).toBe(0);
    expect(table.times[0]).toBe(Date.UTC(2025, 2, 3, 6, 30, 43));
    const suspect = filterRows(table, { columns: { 2: `=${sample.suspect_username}` } });
    expect(suspect.length).toBeGreaterThanOrEqual(4);
    expect(table.rows[suspect[0] ?? 0]?.[3]).toBe(sample.sending_ip);
  });
  it('reads the demo mail log as syslog lines with Postfix queue ids, keeping the # lines as comments', () => {
    const table = parseLog(demo.gatewayLog);
    expect(table.format).toBe('syslog');
    expect(table.columns).toEqual(['time', 'host', 'process', 'pid', 'queue_id', 'message']);
    expect(table.comments).toHaveLength(4);
    expect(table.rows[0]).toEqual(['2025-03-10T06:55:02.481377+00:00', 'mx1', 'postfix/smtpd', '47402', '', 'connect from mail-eu3.brightmeadow-foods.example[192.0.2.114]']);
    expect(table.rows[3]?.[4]).toBe('4Z9JQt0wN3z9sWb');
    expect(table.lines[0]).toBe(5);
    const queue = filterRows(table, { columns: { 4: '4Z9JQt0wN3z9sWb' } });
    expect(queue.length).toBe(7);
  });
  it('skips the comment lines above a CSV header', () => {
    const table = parseLog(demo.customers);
    expect(table.format).toBe('csv');
    expect(table.columns[0]).toBe('customer_id');
    expect(table.comments).toHaveLength(3);
    expect(table.rows).toHaveLength(25);
  });
  it('reads JSON lines, flattening nested objects', () => {
    const table = parseLog('{"ts":"2025-03-10T07:00:00Z","src":{"ip":"198.51.100.1"},"msg":"login"}\n{"ts":"2025-03-10T07:01:00Z","src":{"ip":"198.51.100.2"},"msg":"logout","extra":[1,2]}\n');
    expect(table.format).toBe('jsonl');
    expect(table.columns).toEqual(['ts', 'src.ip', 'msg', 'extra']);
    expect(table.rows[1]).toEqual(['2025-03-10T07:01:00Z', '198.51.100.2', 'logout', '[1,2]']);
    expect(table.timeColumn).toBe(0);
  });
  it('reads key=value lines and semicolon CSV, and falls back to plain lines', () => {
    const kv = parseLog('2025-03-10T07:00:00Z action=allow src=10.0.0.1 dst="198.51.100.7" port=443\n2025-03-10T07:00:05Z action=deny src=10.0.0.2 dst="203.0.113.1" port=22\n');
    expect(kv.format).toBe('kv');
    expect(kv.columns).toEqual(['time', 'action', 'src', 'dst', 'port']);
    expect(kv.rows[0]).toEqual(['2025-03-10T07:00:00Z', 'allow', '10.0.0.1', '198.51.100.7', '443']);
    expect(kv.times[1]).toBe(Date.UTC(2025, 2, 10, 7, 0, 5));
    const semi = parseLog('date;amount;iban\n2025-03-01;12,50;FR76\n2025-03-02;3,00;DE89\n');
    expect(semi.format).toBe('csv');
    expect(semi.rows[0]).toEqual(['2025-03-01', '12,50', 'FR76']);
    const text = parseLog('just some words\nand more words\n');
    expect(text.format).toBe('text');
    expect(text.columns).toEqual(['line']);
  });
});

describe('filtering, sorting and time ranges', () => {
  const table = parseLog(demo.vpn);
  it('filters by time range, inclusive, leaving out rows without a time', () => {
    const from = Date.UTC(2025, 2, 4, 2, 0, 0);
    const to = Date.UTC(2025, 2, 4, 4, 31, 40);
    const rows = filterRows(table, { from, to });
    expect(rows.length).toBeGreaterThan(0);
    for (const i of rows) {
      expect(table.times[i]).toBeGreaterThanOrEqual(from);
      expect(table.times[i]).toBeLessThanOrEqual(to);
    }
    expect([...rows].map((i) => table.rows[i]?.[1])).toContain('LOGOUT');
    expect(filterRows(table, { from: Date.UTC(2030, 0, 1) })).toHaveLength(0);
  });
  it('combines full-text search, contains, exact and excluded values', () => {
    const all = filterRows(table, {});
    expect(all).toHaveLength(table.rows.length);
    const fails = filterRows(table, { search: 'INVALID PASSWORD' });
    expect([...fails].every((i) => table.rows[i]?.[1] === 'AUTH_FAIL')).toBe(true);
    const notWindows = filterRows(table, { columns: { 5: '!windows' } });
    expect([...notWindows].every((i) => !(table.rows[i]?.[5] ?? '').includes('Windows'))).toBe(true);
    expect(notWindows.length).toBeGreaterThan(0);
  });
  it('sorts by time, numbers and text, stably', () => {
    const all = filterRows(table, {});
    const desc = sortRows(table, all, 0, 'desc');
    expect(table.times[desc[0] ?? 0]).toBe(Math.max(...table.times));
    const bytes = sortRows(table, all, 7, 'desc');
    expect(Number(table.rows[bytes[0] ?? 0]?.[7])).toBe(Math.max(...table.rows.map((r) => Number(r[7] || 0))));
    const byUser = sortRows(table, all, 2, 'asc');
    expect(table.rows[byUser[0] ?? 0]?.[2]).toBe('a.lindqvist');
  });
  it('counts events over time and top values', () => {
    const all = filterRows(table, {});
    const span = timeSpan(table, all);
    expect(span).not.toBeNull();
    const bins = histogram(table, all, span!, 10);
    expect(bins.reduce((s, n) => s + n, 0)).toBe(all.length);
    expect(topValues(table, all, 1)[0]?.value).toMatch(/LOGIN|LOGOUT/);
  });
});
