// Identifiers as parties compare them: pure functions, shared with the web app
// (no Node built-ins). IP addresses are compared as addresses, whatever their
// spelling (IPv6 compressed or not, upper or lower case, IPv4-mapped).

function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : null;
}

function parseIpv6(text: string): number[] | null {
  let body = text;
  const lastColon = body.lastIndexOf(':');
  // An embedded IPv4 ending ("::ffff:192.0.2.1") is the last two groups.
  if (body.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(body.slice(lastColon + 1));
    if (!v4) return null;
    body = `${body.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if ([...head, ...rest].some(Number.isNaN)) return null;
  const known = head.length + rest.length;
  if (halves.length === 2 ? known > 7 : known !== 8) return null;
  return [...head, ...Array<number>(8 - known).fill(0), ...rest];
}

/** The canonical form of an IP address (IPv4 dotted, IPv6 as 8 lower-case hex groups; IPv4-mapped IPv6 as IPv4), or null. */
export function canonicalIp(value: string): string | null {
  const text = value.trim().replace(/^\[(.*)\]$/, '$1');
  if (!text.includes(':')) return parseIpv4(text)?.join('.') ?? null;
  const g = parseIpv6(text);
  if (!g) return null;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return [g[6]! >> 8, g[6]! & 255, g[7]! >> 8, g[7]! & 255].join('.');
  return g.map((x) => x.toString(16)).join(':');
}

/**
 * The value of an identifier as compared: trimmed; an IP address as an address;
 * a wallet exactly (bitcoin addresses are case-sensitive); anything else without case.
 */
export function normaliseIdentifier(kind: string, value: string): string {
  const text = value.trim();
  if (kind === 'ip') return canonicalIp(text) ?? text.toLowerCase();
  if (kind === 'wallet') return text;
  return text.toLowerCase();
}

/**
 * A time as investigators copy it from evidence ("2025-03-10 07:42:16",
 * "2025-03-10T07:42:16Z", "…+01:00", "… UTC") as ISO 8601 with its offset; a
 * time without an offset is UTC. Null when it is not such a time.
 */
export function normaliseActivityTime(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(?:\.\d{1,3})?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!m) return null;
  const zone = !m[4] || /^(z|utc|gmt)$/i.test(m[4]) ? 'Z' : m[4].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const iso = `${m[1]}T${m[2]}${m[3] ?? ':00'}${zone}`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}
