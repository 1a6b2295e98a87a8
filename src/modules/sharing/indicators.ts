import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
import { isValidBitcoinAddress, isValidIban } from '../scenarios/generators.ts';
import type { IndicatorType } from './schemas.ts';

// Validation and normalisation of indicator values, one rule per type, so that
// the same observable always has the same stored value (search and correlation
// are exact matches on it). Each function returns the normalised value or
// throws an Error whose message says what is wrong.

export class InvalidIndicator extends Error {}
const bad = (message: string): never => {
  throw new InvalidIndicator(message);
};

function ipv4(v: string): string {
  if (!isIPv4(v)) bad('not an IPv4 address (four numbers 0–255, no leading zeros)');
  return v;
}

/** The eight 16-bit groups of an IPv6 address (embedded IPv4 allowed). */
function ipv6Groups(v: string): number[] {
  if (!isIPv6(v)) bad('not an IPv6 address');
  let s = v.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (dotted) {
    const p = dotted[1]!.split('.').map(Number);
    s = s.slice(0, dotted.index) + `${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array(8 - h.length - t.length).fill('0');
  const groups = [...h, ...fill, ...t].map((g) => parseInt(g, 16));
  if (groups.length !== 8 || groups.some((g) => Number.isNaN(g))) bad('not an IPv6 address');
  return groups;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero groups as "::". */
function ipv6Text(groups: number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

const ipv6 = (v: string) => ipv6Text(ipv6Groups(v));

/** A network in CIDR notation, normalised to its network address (host bits cleared). */
function cidr(v: string): string {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(v);
  if (!m) bad('not a CIDR block (address/prefix)');
  const [, addr, p] = m!;
  const prefix = Number(p);
  if (isIPv4(addr!)) {
    if (prefix > 32) bad('an IPv4 prefix is 0–32');
    const n = addr!.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
    const mask = prefix === 0 ? 0n : ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - prefix)) - 1n);
    const net = n & mask;
    return `${[24n, 16n, 8n, 0n].map((s) => Number((net >> s) & 255n)).join('.')}/${prefix}`;
  }
  if (isIPv6(addr!)) {
    if (prefix > 128) bad('an IPv6 prefix is 0–128');
    const n = ipv6Groups(addr!).reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
    const all = (1n << 128n) - 1n;
    const mask = prefix === 0 ? 0n : all ^ ((1n << BigInt(128 - prefix)) - 1n);
    const net = n & mask;
    const groups = Array.from({ length: 8 }, (_, i) => Number((net >> BigInt(112 - 16 * i)) & 0xffffn));
    return `${ipv6Text(groups)}/${prefix}`;
  }
  return bad('not a CIDR block (address/prefix)');
}

function domain(v: string): string {
  const ascii = domainToASCII(v.toLowerCase().replace(/\.$/, ''));
  if (!ascii || ascii.length > 253) bad('not a domain name');
  const labels = ascii.split('.');
  if (labels.length < 2) bad('a domain name has at least two labels');
  for (const l of labels) if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l)) bad(`"${l}" is not a valid label`);
  if (!/^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(labels[labels.length - 1]!)) bad('the top-level label is not valid');
  return ascii;
}

function url(v: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return bad('not an absolute URL');
  }
  if (!['http:', 'https:', 'ftp:'].includes(u.protocol)) bad('only http, https and ftp URLs');
  if (!u.hostname) bad('the URL has no host');
  return u.href;
}

function email(v: string): string {
  const s = v.toLowerCase();
  const at = s.lastIndexOf('@');
  if (at < 1 || s.length > 254) bad('not an e-mail address');
  const local = s.slice(0, at);
  if (local.length > 64 || !/^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+$/.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) bad('the part before @ is not valid');
  return `${local}@${domain(s.slice(at + 1))}`;
}

const hash = (length: number, name: string) => (v: string) => {
  const s = v.toLowerCase();
  if (!new RegExp(`^[0-9a-f]{${length}}$`).test(s)) bad(`a ${name} is ${length} hexadecimal characters`);
  return s;
};

function bitcoin(v: string): string {
  if (!isValidBitcoinAddress(v)) bad('not a valid bitcoin address (checksum or format)');
  // Bech32 addresses are case-insensitive (stored in lower case); Base58 is case-sensitive.
  return v.slice(0, 3).toLowerCase() === 'bc1' ? v.toLowerCase() : v;
}

function wallet(v: string): string {
  if (/^0x[0-9a-fA-F]{40}$/.test(v)) return v.toLowerCase();
  if (!/^[A-Za-z0-9:_-]{10,128}$/.test(v)) bad('a wallet address is 10–128 letters, digits, ":", "_" or "-"');
  return v;
}

function phone(v: string): string {
  const s = v.replace(/[\s().-]/g, '');
  if (!/^\+[1-9]\d{6,14}$/.test(s)) bad('a phone number in international form: + and 7 to 15 digits');
  return s;
}

function iban(v: string): string {
  const s = v.replace(/\s+/g, '').toUpperCase();
  if (!isValidIban(s)) bad('not a valid IBAN (format or check digits)');
  return s;
}

const normalisers: Record<IndicatorType, (v: string) => string> = {
  ipv4,
  ipv6,
  cidr,
  domain,
  url,
  email,
  md5: hash(32, 'MD5'),
  sha1: hash(40, 'SHA-1'),
  sha256: hash(64, 'SHA-256'),
  bitcoin,
  wallet,
  phone,
  iban,
};

export function normaliseIndicator(type: IndicatorType, value: string): string {
  return normalisers[type](value.trim());
}

/** Every normalised form the value has under some type (search without a type). */
export function normalisedCandidates(value: string): string[] {
  const out = new Set<string>();
  for (const t of Object.keys(normalisers) as IndicatorType[]) {
    try {
      out.add(normaliseIndicator(t, value));
    } catch {
      // not of this type
    }
  }
  return [...out];
}

/**
 * Correlation settings (in code): the cap of indicators linked to one value,
 * beyond which the value is marked too common and no longer correlated, and the
 * well-known benign values that are never correlated (public resolvers,
 * reserved example domains, hashes of the empty file).
 */
export const correlationSettings = {
  cap: 1000,
  excluded: new Set<string>([
    '8.8.8.8',
    '8.8.4.4',
    '1.1.1.1',
    '1.0.0.1',
    '9.9.9.9',
    '208.67.222.222',
    '2001:4860:4860::8888',
    '2606:4700:4700::1111',
    '127.0.0.1',
    '::1',
    'google.com',
    'www.google.com',
    'microsoft.com',
    'example.com',
    'example.org',
    'example.net',
    'd41d8cd98f00b204e9800998ecf8427e',
    'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  ]),
};
