/**
 * Small recognisers shared by the workbench's tools: IP addresses (v4, v6,
 * bracketed and `IPv6:` forms), private ranges, and times as they appear in
 * mail headers and logs. Pure, unit-tested.
 */

const ipv4Re = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export const isIpv4 = (s: string) => ipv4Re.test(s);

export function isIpv6(s: string): boolean {
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return false;
  let text = s;
  let groupsNeeded = 8;
  // An IPv4 tail (::ffff:192.0.2.1) stands for two groups.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!isIpv4(tail)) return false;
    text = text.slice(0, lastColon + 1) + '0';
    groupsNeeded = 7;
  }
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const left = groups(halves[0] ?? '');
  const right = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if ([...left, ...right].some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = left.length + right.length;
  return halves.length === 2 ? count <= groupsNeeded - 1 : count === groupsNeeded;
}

export const isIp = (s: string) => isIpv4(s) || isIpv6(s);

/** `[203.0.113.5]`, `[IPv6:2001:db8::1]`, `IPv6:…` → the bare address, or null. */
export function bareIp(text: string): string | null {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (/^ipv6:/i.test(s)) s = s.slice(5);
  return isIp(s) ? s : null;
}

/** Private, loopback, link-local, shared and documentation-free ranges: addresses that say nothing of the sender on the internet. */
export function isPrivateIp(ip: string): boolean {
  if (isIpv4(ip)) {
    const [a = 0, b = 0] = ip.split('.').map(Number);
    return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  const low = ip.toLowerCase();
  if (low.startsWith('::ffff:') && isIpv4(low.slice(7))) return isPrivateIp(low.slice(7));
  return low === '::1' || low === '::' || /^f[cd]/.test(low) || /^fe[89ab]/.test(low);
}

const months: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };
const zones: Record<string, number> = { UT: 0, UTC: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420 };

/** An RFC 5322 date (`Mon, 10 Mar 2025 08:42:21 +0100 (CET)`) → epoch milliseconds, or NaN. */
export function parseMailDate(text: string): number {
  const m = /(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([+-]\d{4}|[A-Za-z]{1,5})?/.exec(text);
  if (!m) return NaN;
  const month = months[(m[2] ?? '').toLowerCase()];
  if (month === undefined) return NaN;
  let year = Number(m[3]);
  if (year < 100) year += year < 50 ? 2000 : 1900;
  let offset = 0;
  const zone = m[7];
  if (zone && /^[+-]\d{4}$/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    offset = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  } else if (zone) {
    offset = zones[zone.toUpperCase()] ?? 0;
  }
  return Date.UTC(year, month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) - offset * 60_000;
}

const isoRe = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC)?$/i;
const syslogRe = /^([A-Za-z]{3})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})(\.\d+)?$/;

/**
 * A time as found in logs and exports → epoch milliseconds, or NaN: ISO 8601
 * (a time without zone is taken as UTC, as evidence times are), RFC 5322, the
 * syslog `Mar 10 07:42:19` (in `year`), and epoch seconds or milliseconds.
 */
export function parseTime(text: string, year = new Date().getUTCFullYear()): number {
  const s = text.trim();
  if (s.length < 6) return NaN;
  const iso = isoRe.exec(s);
  if (iso) {
    const ms = iso[7] ? Math.round(Number(iso[7]) * 1000) : 0;
    const base = Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]), Number(iso[4] ?? 0), Number(iso[5] ?? 0), Number(iso[6] ?? 0), ms);
    const zone = iso[8];
    if (!zone || /^(z|utc)$/i.test(zone)) return base;
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.replace(/[+:-]/g, '');
    return base - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  const sys = syslogRe.exec(s);
  if (sys) {
    const month = months[(sys[1] ?? '').toLowerCase()];
    if (month === undefined) return NaN;
    return Date.UTC(year, month, Number(sys[2]), Number(sys[3]), Number(sys[4]), Number(sys[5]), sys[6] ? Math.round(Number(sys[6]) * 1000) : 0);
  }
  if (/^\d{10}(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  if (/^\d{13}$/.test(s)) return Number(s);
  if (/[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}|^\d{1,2}\s+[A-Za-z]{3}\s+\d{4}/.test(s)) return parseMailDate(s);
  return NaN;
}

/** Milliseconds → `2025-03-10T07:42:19Z` (seconds kept, milliseconds only when present). */
export function isoUtc(ms: number): string {
  const text = new Date(ms).toISOString();
  return text.endsWith('.000Z') ? `${text.slice(0, -5)}Z` : text;
}
