import { describe, expect, it } from 'vitest';
import { filterRows, histogram, parseLog, sortRows, timeSpan } from './logs.ts';

/**
 * A measurement, not a check: how long the workbench takes to parse and
 * filter 100,000 lines (printed; never asserted on time, machines differ).
 */

const lines = 100_000;
const start = Date.UTC(2025, 2, 10, 0, 0, 0);
const processes = ['postfix/smtpd', 'postfix/cleanup', 'postfix/qmgr', 'postfix/smtp', 'opendkim'];

function syslogFile(): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const t = new Date(start + i * 850).toISOString().replace('Z', '+00:00');
    const queue = `4Z9J${(i >> 3).toString(36).toUpperCase().padStart(6, '0')}z9sWb`;
    out.push(`${t} mx1 ${processes[i % processes.length]}[${47000 + (i % 900)}]: ${queue}: from=<user${i % 5000}@example${i % 97}.org>, size=${(i * 37) % 90000}, nrcpt=1 (queue active) client=host${i % 300}.example[198.51.${i % 256}.${(i * 7) % 256}]`);
  }
  return out.join('\n');
}

function csvFile(): string {
  const out = ['timestamp_utc,event,username,source_ip,assigned_ip,client,session_id,bytes_to_client,bytes_from_client,detail'];
  for (let i = 0; i < lines; i++) {
    out.push(`${new Date(start + i * 850).toISOString().slice(0, 19)}Z,${i % 3 ? 'LOGIN' : 'LOGOUT'},user.${i % 700},203.0.${i % 256}.${(i * 11) % 256},10.8.${i % 200}.${i % 250},"VPN client 7.2.4 (Windows)",${(i * 2654435761).toString(16).slice(-8)},${i * 13},${i * 7},${i % 17 ? '' : 'idle timeout'}`);
  }
  return out.join('\n');
}

const time = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const value = f();
  return [value, Math.round(performance.now() - t0)];
};

describe('workbench logs at 100,000 lines (measurement)', () => {
  for (const [name, make] of [
    ['Postfix syslog', syslogFile],
    ['CSV', csvFile],
  ] as const) {
    it(name, () => {
      const text = make();
      const [table, parse] = time(() => parseLog(text, { year: 2025 }));
      const [found, firstSearch] = time(() => filterRows(table, { search: '198.51.7.' }));
      const [, search] = time(() => filterRows(table, { search: 'user42' }));
      const [, column] = time(() => filterRows(table, { columns: { 2: 'smtp' } }));
      const span = timeSpan(table)!;
      const [range, timeRange] = time(() => filterRows(table, { from: span.from + (span.to - span.from) / 4, to: span.to - (span.to - span.from) / 4 }));
      const [, bins] = time(() => histogram(table, range, span, 60));
      const [, sorted] = time(() => sortRows(table, filterRows(table, {}), 3, 'desc'));
      console.log(
        `[bench] ${name}: ${table.rows.length} rows, ${(text.length / 1048576).toFixed(1)} MB — parse ${parse} ms; search first ${firstSearch} ms (builds the index), then ${search} ms; column filter ${column} ms; time range ${timeRange} ms (${range.length} rows); histogram ${bins} ms; sort ${sorted} ms; ${found.length} matches`,
      );
      expect(table.rows).toHaveLength(lines);
    });
  }
});
