import { createHash } from 'node:crypto';
import { bech32, bech32m, createBase58check } from '@scure/base';
import type { generators as generatorList } from './definition.ts';
import type { Rng } from './rng.ts';

// The fixed, safe set of generators for per-team scenario values. Parameters
// are data only; nothing from a scenario package is ever executed.
//
// Every generator draws from the Rng it is given, in a fixed order: changing a
// word list or the order of draws changes the values every existing seed
// yields, so games in progress should keep the values they were given.
//
// (Only type imports from definition.ts, so that it may import this module.)

export type Generator = (typeof generatorList)[number];
export type ParamValue = string | number | boolean | ReadonlyArray<string | number>;
export type VariableParams = Readonly<Record<string, ParamValue>>;
export interface VariableDefinition {
  generator: Generator;
  params?: VariableParams | undefined;
}

/** Thrown by generate() for bad parameters; `problems` are like `params.min: must be a number`. */
export class VariableError extends Error {
  readonly problems: string[];
  constructor(problems: string[], message?: string) {
    super(message ?? problems.join('; '));
    this.name = 'VariableError';
    this.problems = problems;
  }
}

// ---------------------------------------------------------------------------
// Parameters

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));
const list = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');

class Params {
  readonly problems: string[] = [];
  readonly #raw: Readonly<Record<string, unknown>>;
  readonly #generator: string;
  readonly #known = new Set<string>();

  constructor(generator: string, raw: Readonly<Record<string, unknown>>) {
    this.#generator = generator;
    this.#raw = raw;
  }

  problem(name: string, message: string): void {
    this.problems.push(`params.${name}: ${message}`);
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }

  get(name: string): unknown {
    this.#known.add(name);
    return Object.hasOwn(this.#raw, name) ? this.#raw[name] : undefined;
  }

  /** A finite number; `required` makes a missing value a problem. */
  number(name: string, opts: { required?: boolean; integer?: boolean; min?: number; max?: number } = {}): number | undefined {
    const v = this.get(name);
    if (v === undefined) {
      if (opts.required) this.problem(name, `required for ${this.#generator}`);
      return undefined;
    }
    const range = opts.min !== undefined && opts.max !== undefined ? ` from ${opts.min} to ${opts.max}` : '';
    if (opts.integer) {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
        this.problem(name, `must be a whole number${range}`);
        return undefined;
      }
    } else if (typeof v !== 'number' || !Number.isFinite(v)) {
      this.problem(name, 'must be a number');
      return undefined;
    }
    if ((opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max)) {
      this.problem(name, `must be a ${opts.integer ? 'whole ' : ''}number${range || (opts.min !== undefined ? ` of at least ${opts.min}` : ` of at most ${opts.max}`)}`);
      return undefined;
    }
    return v;
  }

  string(name: string, opts: { required?: boolean } = {}): string | undefined {
    const v = this.get(name);
    if (v === undefined) {
      if (opts.required) this.problem(name, `required for ${this.#generator}`);
      return undefined;
    }
    if (typeof v !== 'string') {
      this.problem(name, 'must be a string');
      return undefined;
    }
    return v;
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const v = this.get(name);
    if (v === undefined) return fallback;
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    this.problem(name, values.length === 2 ? `must be "${values[0]}" or "${values[1]}"` : `must be one of ${list(values)}`);
    return fallback;
  }

  /** Reports parameters the generator does not take (typos such as `mn`). */
  finish(): void {
    for (const name of Object.keys(this.#raw)) {
      if (!this.#known.has(name)) {
        const known = [...this.#known];
        this.problem(name, `unknown parameter for ${this.#generator} (${known.length ? `it takes ${known.join(', ')}` : 'it takes none'})`);
      }
    }
  }
}

/** A generator reads its parameters (reporting problems on `p`) and returns what draws the value; `sum` reads the values of other variables instead. */
type Spec = (p: Params) => (rng: Rng, values: Readonly<Record<string, string>>) => string;

// ---------------------------------------------------------------------------
// Word lists. Invented or generic words only: no real well-known brands.

/** Given and family names by region, so that a full name is plausible. */
const NAME_REGIONS: ReadonlyArray<{ readonly first: readonly string[]; readonly last: readonly string[] }> = [
  {
    first: ['Lukas', 'Anna', 'Maximilian', 'Lena', 'Jonas', 'Sophie', 'Pieter', 'Femke', 'Tobias', 'Katharina'],
    last: ['Müller', 'Schmidt', 'Weber', 'Becker', 'Hoffmann', 'Janssen', 'de Vries', 'Bakker', 'Wagner', 'Vogel'],
  },
  {
    first: ['Julien', 'Camille', 'Matteo', 'Chiara', 'Antoine', 'Élodie', 'Lorenzo', 'Giulia', 'Mathieu', 'Sofia'],
    last: ['Dubois', 'Moreau', 'Laurent', 'Lefèvre', 'Rossi', 'Bianchi', 'Romano', 'Ricci', 'Girard', 'Peeters'],
  },
  {
    first: ['James', 'Emily', 'Oliver', 'Charlotte', 'Liam', 'Grace', 'Erik', 'Ingrid', 'Daniel', 'Freya'],
    last: ['Smith', 'Walker', "O'Brien", 'Thompson', 'Campbell', 'Hughes', 'Johansson', 'Lindqvist', 'Hansen', 'Nielsen'],
  },
  {
    first: ['Carlos', 'María', 'José', 'Lucía', 'Diego', 'Valentina', 'Andrés', 'Camila', 'João', 'Beatriz'],
    last: ['García', 'Rodríguez', 'Fernández', 'Silva', 'Pereira', 'Martínez', 'López', 'Oliveira', 'Ramírez', 'Costa'],
  },
  {
    first: ['Ahmed', 'Fatima', 'Omar', 'Layla', 'Youssef', 'Amina', 'Karim', 'Nour', 'Hassan', 'Salma'],
    last: ['Haddad', 'El Amrani', 'Mansour', 'Khalil', 'Benali', 'Al-Nasser', 'Saleh', 'Farouk', 'Aziz', 'Hamdan'],
  },
  {
    first: ['Chinedu', 'Amara', 'Kwame', 'Ngozi', 'Tendai', 'Wanjiru', 'Moussa', 'Aïssata', 'Thabo', 'Zanele'],
    last: ['Okafor', 'Mensah', 'Diallo', 'Mwangi', 'Nkosi', 'Traoré', 'Adeyemi', 'Banda', 'Kamau', 'Ndiaye'],
  },
  {
    first: ['Wei', 'Mei', 'Hiroshi', 'Yuki', 'Min-jun', 'Ji-woo', 'Minh', 'Linh', 'Kenji', 'Xin'],
    last: ['Wang', 'Chen', 'Tanaka', 'Sato', 'Kim', 'Park', 'Nguyen', 'Tran', 'Lim', 'Wong'],
  },
  {
    first: ['Arjun', 'Priya', 'Rahul', 'Ananya', 'Imran', 'Ayesha', 'Vikram', 'Sana', 'Rohan', 'Divya'],
    last: ['Sharma', 'Patel', 'Singh', 'Khan', 'Gupta', 'Reddy', 'Chowdhury', 'Iyer', 'Malik', 'Rahman'],
  },
  {
    first: ['Aleksandr', 'Olga', 'Dmitri', 'Natalia', 'Piotr', 'Katarzyna', 'Andrei', 'Ioana', 'Marko', 'Jelena'],
    last: ['Ivanov', 'Kowalski', 'Novak', 'Popescu', 'Horvat', 'Petrov', 'Nowak', 'Kovalenko', 'Jovanović', 'Dvořák'],
  },
];

/** First halves of invented names (domains, companies). */
const WORD_A = [
  'amber', 'atlas', 'birch', 'blue', 'bright', 'cedar', 'clear', 'copper', 'coral', 'crystal', 'east', 'ember', 'granite', 'green', 'harbor', 'hazel',
  'iron', 'jade', 'lake', 'maple', 'meadow', 'north', 'nova', 'oak', 'orbit', 'pine', 'quartz', 'raven', 'river', 'silver', 'solar', 'south', 'stone',
  'summit', 'tidal', 'urban', 'vertex', 'west', 'willow', 'zenith',
] as const;
/** Second halves of invented names. */
const WORD_B = [
  'bay', 'bridge', 'brook', 'cloud', 'core', 'craft', 'crest', 'dale', 'data', 'desk', 'field', 'flow', 'forge', 'gate', 'grid', 'grove', 'hub', 'key',
  'lane', 'line', 'link', 'logic', 'mark', 'mill', 'net', 'path', 'peak', 'point', 'port', 'ridge', 'route', 'shore', 'span', 'spring', 'trade', 'vale',
  'vault', 'view', 'ware', 'wave', 'works', 'yard',
] as const;
/** Service words seen in (phishing) domains. */
const WORD_SERVICE = ['secure', 'support', 'verify', 'login', 'portal', 'online', 'pay', 'mail', 'services', 'group', 'cloud', 'invest', 'trade', 'wallet', 'finance', 'global'] as const;
/** Well-known names a combination must not produce (substring match on the label). */
const BRANDS = [
  'paypal', 'coinbase', 'binance', 'kraken', 'bitstamp', 'bitfinex', 'kucoin', 'tether', 'blockchain', 'google', 'apple', 'amazon', 'microsoft', 'azure',
  'facebook', 'netflix', 'gmail', 'yahoo', 'outlook', 'hotmail', 'icloud', 'dropbox', 'github', 'linkedin', 'twitter', 'whatsapp', 'telegram', 'instagram',
  'tiktok', 'westernunion', 'moneygram', 'silvergate', 'bluecrest', 'clearview', 'westfield', 'pinebridge', 'solarwind', 'stonebridge', 'ironnet',
  'greenpoint', 'northgate', 'raven', 'oracle', 'cisco',
] as const;
const isBrand = (label: string) => BRANDS.some((brand) => label.replace(/-/g, '').includes(brand));
const TLDS = ['com', 'com', 'com', 'com', 'net', 'net', 'org', 'io', 'biz', 'info', 'co', 'online', 'xyz'] as const;

const SECTORS = [
  'Logistics', 'Trading', 'Consulting', 'Holdings', 'Freight', 'Capital', 'Imports', 'Solutions', 'Technologies', 'Maritime', 'Industries', 'Partners',
  'Ventures', 'Supplies', 'Investments', 'Shipping', 'Services', 'Systems', 'Group', 'Analytics', 'Distribution', 'Energy', 'Textiles', 'Electronics',
  'Construction', 'Finance', 'Media', 'Security', 'Software', 'Agro',
] as const;
const LEGAL_FORMS = [
  'Ltd', 'LLC', 'Inc.', 'GmbH', 'SARL', 'S.A.', 'B.V.', 'S.r.l.', 'FZE', 'FZ-LLC', 'Pte Ltd', 'Pty Ltd', 'AG', 'S.L.', 'Sp. z o.o.', 'Limited', 'Corp.',
  'N.V.', 'SAS', 'Lda',
] as const;

const HANDLE_A = ['dark', 'silent', 'cyber', 'crypto', 'ghost', 'shadow', 'lucky', 'frozen', 'iron', 'rapid', 'neo', 'zero', 'lone', 'night', 'red', 'black'] as const;
const HANDLE_B = ['wolf', 'fox', 'byte', 'viper', 'falcon', 'phantom', 'hawk', 'raven', 'lynx', 'cipher', 'tiger', 'storm', 'blade', 'root', 'knight', 'pixel'] as const;

const PATH_WORDS = [
  'account', 'secure', 'login', 'verify', 'update', 'billing', 'invoice', 'download', 'docs', 'portal', 'auth', 'session', 'client', 'support', 'track',
  'files', 'share', 'wallet', 'payment', 'confirm', 'customer', 'documents', 'reports', 'api',
] as const;
const FILE_EXTENSIONS = ['pdf', 'zip', 'php', 'html', 'docx', 'xlsx', 'js'] as const;
const QUERY_KEYS = ['id', 'token', 'session', 'ref', 'uid', 'doc', 'key'] as const;

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** ASCII, lower-case, letters and digits only: "Jovanović" → "jovanovic", "O'Brien" → "obrien". */
const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
const digits = (rng: Rng, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
};
const hexOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const alnum = (rng: Rng, n: number) => {
  let s = '';
  for (let i = 0; i < n; i++) s += ALNUM[rng.int(0, ALNUM.length - 1)];
  return s;
};

const drawName = (rng: Rng) => {
  const region = rng.pick(NAME_REGIONS);
  return { first: rng.pick(region.first), last: rng.pick(region.last) };
};

const domainLabel = (rng: Rng): string => {
  for (;;) {
    const a = rng.pick(WORD_A);
    const b = rng.pick(WORD_B);
    const label = rng.pick([
      () => `${a}${b}`,
      () => `${a}${b}`,
      () => `${a}-${b}`,
      () => `${a}${b}-${rng.pick(WORD_SERVICE)}`,
      () => `${rng.pick(WORD_SERVICE)}-${a}${b}`,
      () => `${a}${b}${rng.int(1, 99)}`,
    ])();
    if (!isBrand(label)) return label;
  }
};

const makeDomain = (rng: Rng, tld: string | undefined) => `${domainLabel(rng)}.${tld ?? rng.pick(TLDS)}`;

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** A host name such as "example-corp.com" (lower-cased); null if not one. */
const hostName = (v: string): string | null => {
  const h = v.trim().toLowerCase().replace(/\.$/, '');
  const labels = h.split('.');
  return h.length <= 253 && labels.length >= 2 && labels.every((l) => LABEL.test(l)) && /[a-z]/.test(labels.at(-1)!) ? h : null;
};

const makeUsername = (rng: Rng): string => {
  if (rng.chance(0.25)) {
    const handle = `${rng.pick(HANDLE_A)}${rng.pick(['', '_', '.'])}${rng.pick(HANDLE_B)}`;
    return `${handle}${rng.int(1, 9999)}`;
  }
  const { first, last } = drawName(rng);
  const f = slug(first);
  const l = slug(last);
  const base = rng.pick([`${f}.${l}`, `${f[0]}${l}`, `${f}_${l}`, `${f}${l}`, `${l}.${f[0]}`, `${f}${l[0]}`]);
  const suffix = rng.pick([() => '', () => String(rng.int(1, 99)).padStart(2, '0'), () => String(rng.int(1965, 2006)), () => String(rng.int(100, 999))])();
  return base + suffix;
};

const makeEmail = (rng: Rng, domain: string | undefined): string => {
  const { first, last } = drawName(rng);
  const f = slug(first);
  const l = slug(last);
  const local = rng.pick([
    () => `${f}.${l}`,
    () => `${f[0]}.${l}`,
    () => `${f}${l}${rng.int(1, 99)}`,
    () => `${f}_${l}${rng.int(1960, 2006)}`,
    () => `${f[0]}${l}`,
    () => `${rng.pick(HANDLE_A)}.${rng.pick(HANDLE_B)}${rng.int(1, 999)}`,
  ])();
  return `${local}@${domain ?? makeDomain(rng, undefined)}`;
};

const urlPath = (rng: Rng): string =>
  rng.pick([
    () => `/${rng.pick(PATH_WORDS)}/${rng.pick(PATH_WORDS)}`,
    () => `/${rng.pick(PATH_WORDS)}/${rng.pick(PATH_WORDS)}-${rng.int(1000, 99999)}.${rng.pick(FILE_EXTENSIONS)}`,
    () => `/${rng.pick(PATH_WORDS)}?${rng.pick(QUERY_KEYS)}=${hexOf(rng.bytes(rng.int(4, 10)))}`,
    () => `/${rng.pick(PATH_WORDS)}/${rng.pick(PATH_WORDS)}.php?${rng.pick(QUERY_KEYS)}=${alnum(rng, rng.int(8, 16))}`,
    () => `/${alnum(rng, 7)}`,
    () => `/wp-content/uploads/${rng.int(2019, 2025)}/${String(rng.int(1, 12)).padStart(2, '0')}/${rng.pick(PATH_WORDS)}-${rng.int(100, 9999)}.${rng.pick(FILE_EXTENSIONS)}`,
  ])();

// ---------------------------------------------------------------------------
// IPv4 and IPv6

/** Special-purpose IPv4 blocks (RFC 6890 and friends) that a "public" address avoids. */
const IPV4_SPECIAL: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private (RFC 1918)
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255
];
const ipv4ToInt = (a: string) => a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
const intToIpv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const SPECIAL_RANGES = IPV4_SPECIAL.map(([a, len]) => {
  const start = ipv4ToInt(a);
  return [start, start + 2 ** (32 - len) - 1] as const;
});
const PRIVATE_RANGES = [
  [ipv4ToInt('10.0.0.0'), 8],
  [ipv4ToInt('172.16.0.0'), 12],
  [ipv4ToInt('192.168.0.0'), 16],
] as const;

const makeIpv4 = (rng: Rng, range: 'public' | 'private'): string => {
  for (;;) {
    let n: number;
    if (range === 'private') {
      const [start, len] = rng.pick(PRIVATE_RANGES);
      n = start + rng.int(0, 2 ** (32 - len) - 1);
    } else {
      n = rng.int(0, 2 ** 32 - 1);
      if (SPECIAL_RANGES.some(([lo, hi]) => n >= lo && n <= hi)) continue;
    }
    // Hosts ending in .0 or .255 are legal in larger networks but look odd in evidence.
    if ((n & 255) === 0 || (n & 255) === 255) continue;
    return intToIpv4(n);
  }
};

/** RFC 5952 text: lower-case, no leading zeros, the longest run (≥ 2) of zero groups as "::", the first on a tie. */
const formatIpv6 = (groups: readonly number[]): string => {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
};

const makeIpv6 = (rng: Rng): string => {
  // 2a00::/12 (RIPE NCC global unicast): a /32 allocation, a /48 site, a subnet, an interface.
  const groups = [0x2a00 + rng.int(0, 15), rng.int(0, 0xffff), rng.int(0, 0xffff), rng.chance(0.6) ? rng.int(0, 255) : rng.int(0, 0xffff)];
  if (rng.chance(0.3)) groups.push(0, 0, 0, rng.int(1, 255));
  else for (let i = 0; i < 4; i++) groups.push(rng.int(0, 0xffff));
  return formatIpv6(groups);
};

// ---------------------------------------------------------------------------
// Bitcoin

const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());
const base58check = createBase58check(sha256);
const bitcoinTypes = ['p2wpkh', 'p2pkh', 'p2sh'] as const;

const makeBitcoinAddress = (rng: Rng, type: (typeof bitcoinTypes)[number]): string => {
  const hash = rng.bytes(20); // HASH160 of a (never existing) key or script
  if (type === 'p2wpkh') return bech32.encode('bc', [0, ...bech32.toWords(hash)]);
  const payload = new Uint8Array(21);
  payload[0] = type === 'p2pkh' ? 0x00 : 0x05;
  payload.set(hash, 1);
  return base58check.encode(payload);
};

/**
 * A valid Bitcoin mainnet address: P2PKH ("1…") or P2SH ("3…") with a valid
 * Base58Check checksum, or a SegWit address ("bc1…": version 0 in bech32 with
 * a 20- or 32-byte program, versions 1–16 in bech32m, BIP 173/350).
 */
export function isValidBitcoinAddress(address: string): boolean {
  if (typeof address !== 'string' || address.length < 14 || address.length > 90) return false;
  if (address[0] === '1' || address[0] === '3') {
    try {
      const payload = base58check.decode(address);
      return payload.length === 21 && payload[0] === (address[0] === '1' ? 0x00 : 0x05);
    } catch {
      return false;
    }
  }
  if (address.slice(0, 3).toLowerCase() !== 'bc1') return false;
  for (const codec of [bech32, bech32m]) {
    const decoded = codec.decodeUnsafe(address, 90);
    if (!decoded || decoded.prefix !== 'bc' || decoded.words.length < 1) continue;
    const version = decoded.words[0]!;
    const program = bech32.fromWordsUnsafe(decoded.words.slice(1));
    if (!program || version > 16 || program.length < 2 || program.length > 40) return false;
    if (version === 0) return codec === bech32 && (program.length === 20 || program.length === 32);
    return codec === bech32m;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Amounts

/** x (as JavaScript prints it) × 10^decimals, rounded up or down to an integer, exactly. */
const scaleDecimal = (x: number, decimals: number, round: 'up' | 'down'): bigint => {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) throw new RangeError(`not a finite number: ${x}`);
  const negative = m[1] === '-';
  const frac = m[3] ?? '';
  const magnitude = BigInt(m[2]! + frac);
  const shift = Number(m[4] ?? 0) - frac.length + decimals;
  let scaled: bigint;
  if (shift >= 0) scaled = magnitude * 10n ** BigInt(shift);
  else {
    const d = 10n ** BigInt(-shift);
    const q = magnitude / d;
    const inexact = magnitude % d !== 0n;
    // Round the signed value: up means towards +∞.
    scaled = q + (inexact && (round === 'up') !== negative ? 1n : 0n);
  }
  return negative ? -scaled : scaled;
};

const formatScaled = (v: bigint, decimals: number): string => {
  const negative = v < 0n;
  const s = (negative ? -v : v).toString().padStart(decimals + 1, '0');
  const whole = s.slice(0, s.length - decimals);
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${s.slice(s.length - decimals)}` : ''}`;
};

// ---------------------------------------------------------------------------
// Timestamps

const MAX_UNIX = 253402300799; // 9999-12-31T23:59:59Z
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2}))?$/;
const timestampFormats = ['iso', 'rfc2822', 'unix', 'date'] as const;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Whole Unix seconds and whether a fraction of a second was dropped; null if not ISO 8601 with a time zone (or a bare date, read as UTC). */
const parseIso = (s: string): { seconds: number; fraction: boolean } | null => {
  const m = ISO_8601.exec(s.trim());
  if (!m) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const ms = Date.UTC(year!, month! - 1, day!, hour, minute, second);
  const d = new Date(ms);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month! - 1 || d.getUTCDate() !== day || d.getUTCHours() !== hour || d.getUTCMinutes() !== minute || d.getUTCSeconds() !== second) return null;
  let offset = 0;
  const zone = m[8];
  if (zone && zone !== 'Z' && zone !== 'z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    if (Number(z[2]) > 23 || Number(z[3]) > 59) return null;
    offset = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60;
  }
  return { seconds: ms / 1000 - offset, fraction: /[1-9]/.test(m[7] ?? '') };
};

const formatTimestamp = (seconds: number, format: (typeof timestampFormats)[number]): string => {
  const d = new Date(seconds * 1000);
  const iso = d.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (format === 'unix') return String(seconds);
  if (format === 'date') return iso.slice(0, 10);
  if (format === 'iso') return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${WEEKDAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${iso.slice(11, 19)} +0000`;
};

// ---------------------------------------------------------------------------
// Derived values
//
// `sum` adds and subtracts other variables' values and constants, so that
// values which must agree per team do: the amount left after a fee, a relay's
// time a few seconds after the sender's. Fixed-point decimals (BigInt) or whole
// seconds; nothing else. resolveVariables (templates.ts) draws the other
// variables first and refuses unknown references and cycles.

export const sumFormats = ['number', ...timestampFormats] as const;
export type SumFormat = (typeof sumFormats)[number];
export type SumTerm = { kind: 'constant'; value: string } | { kind: 'variable'; name: string; negative: boolean };
export interface SumPlan {
  terms: SumTerm[];
  /** Decimals of a number; 0 for times (seconds). */
  decimals: number;
  format: SumFormat;
  /** Minutes east of UTC for an iso or rfc2822 time. */
  offsetMinutes: number;
}

const DECIMAL = /^[+-]?\d+(?:\.\d+)?$/;
const TERM_NAME = /^([+-]?)([A-Za-z0-9][A-Za-z0-9_-]{0,62})$/;
const UTC_OFFSET = /^([+-])(\d{2}):(\d{2})$/;

/** `text` (a plain decimal) × 10^decimals, or undefined if it has more (non-zero) decimals. */
const decimalToScaled = (text: string, decimals: number): bigint | undefined => {
  if (!DECIMAL.test(text)) return undefined;
  const negative = text.startsWith('-');
  const [whole = '0', frac = ''] = text.replace(/^[+-]/, '').split('.');
  if (/[1-9]/.test(frac.slice(decimals))) return undefined;
  const v = BigInt(whole + frac.slice(0, decimals).padEnd(decimals, '0'));
  return negative ? -v : v;
};

/** Reads the parameters of `sum`: `terms` (constants and [+-]variable names), `decimals`, `format`, `utcOffset`. */
const sumPlan = (p: Params): SumPlan | undefined => {
  const format = p.oneOf('format', sumFormats, 'number');
  const decimals = p.number('decimals', { integer: true, min: 0, max: 18 });
  if (format !== 'number' && decimals !== undefined) p.problem('decimals', 'only for format "number" (times are whole seconds)');
  const scale = format === 'number' ? (decimals ?? 2) : 0;
  const rawOffset = p.string('utcOffset');
  let offsetMinutes = 0;
  if (rawOffset !== undefined) {
    const m = UTC_OFFSET.exec(rawOffset);
    if (!m || Number(m[2]) > 14 || Number(m[3]) > 59) p.problem('utcOffset', 'must be an offset such as "+02:00" or "-05:30"');
    else if (format !== 'iso' && format !== 'rfc2822') p.problem('utcOffset', 'only for format "iso" or "rfc2822"');
    else offsetMinutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  }
  const raw = p.get('terms');
  if (raw === undefined) {
    p.problem('terms', 'required for sum');
    return undefined;
  }
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 50) {
    p.problem('terms', 'must be a list of 1 to 50 numbers and variable names (a name may start with "-")');
    return undefined;
  }
  const unit = scale === 0 ? 'whole' : `at most ${scale} decimals`;
  const terms: SumTerm[] = [];
  (raw as readonly unknown[]).forEach((t, i) => {
    const text = typeof t === 'number' && Number.isFinite(t) ? formatScaled(scaleDecimal(t, 18, 'down'), 18) : t;
    if (typeof text !== 'string') p.problem(`terms[${i}]`, 'must be a number or a variable name');
    else if (DECIMAL.test(text)) {
      if (decimalToScaled(text, scale) === undefined) p.problem(`terms[${i}]`, `must be a ${scale === 0 ? 'whole number of seconds' : `number with ${unit}`}`);
      else terms.push({ kind: 'constant', value: text });
    } else {
      const m = TERM_NAME.exec(text.trim());
      if (!m) p.problem(`terms[${i}]`, `${show(t)} is neither a number nor a variable name`);
      else terms.push({ kind: 'variable', name: m[2]!, negative: m[1] === '-' });
    }
  });
  return p.ok ? { terms, decimals: scale, format, offsetMinutes } : undefined;
};

/** The parsed parameters of a `sum` variable, or undefined if they have problems (validateVariable reports them). */
export function sumPlanOf(params: Readonly<Record<string, unknown>> | undefined): SumPlan | undefined {
  const p = new Params('sum', params ?? {});
  const plan = sumPlan(p);
  p.finish();
  return p.ok ? plan : undefined;
}

/** Seconds since 1970 of a time value as the timestamp generator writes it (iso, rfc2822, unix, date), or a whole number of seconds. */
const timeValue = (v: string): bigint | undefined => {
  if (/^-?\d+$/.test(v)) return BigInt(v);
  const iso = parseIso(v);
  if (iso) return BigInt(iso.seconds);
  const m = /^(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(v);
  const month = m ? MONTHS.indexOf(m[2] as (typeof MONTHS)[number]) : -1;
  if (!m || month < 0) return undefined;
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) * 60;
  return BigInt(Date.UTC(Number(m[3]), month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000 - offset);
};

const formatZoned = (seconds: number, format: (typeof timestampFormats)[number], offsetMinutes: number): string => {
  const text = formatTimestamp(seconds + offsetMinutes * 60, format);
  if (offsetMinutes === 0) return text;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const hh = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
  const mm = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
  return format === 'iso' ? text.replace(/Z$/, `${sign}${hh}:${mm}`) : text.replace(/\+0000$/, `${sign}${hh}${mm}`);
};

/** The value of a `sum`: `value(name)` gives the already drawn value of a referenced variable. Throws VariableError. */
export function computeSum(plan: SumPlan, value: (name: string) => string | undefined): string {
  const time = plan.format !== 'number';
  let total = 0n;
  plan.terms.forEach((term, i) => {
    if (term.kind === 'constant') {
      total += decimalToScaled(term.value, plan.decimals)!;
      return;
    }
    const v = value(term.name);
    if (v === undefined) throw new VariableError([`params.terms[${i}]: no variable "${term.name}"`]);
    const scaled = time ? timeValue(v) : decimalToScaled(v, plan.decimals);
    if (scaled === undefined) throw new VariableError([`params.terms[${i}]: the value of "${term.name}" (${v}) is not ${time ? 'a time or a whole number of seconds' : `a number with at most ${plan.decimals} decimals`}`]);
    total += term.negative ? -scaled : scaled;
  });
  if (!time) return formatScaled(total, plan.decimals);
  if (total < 0n || total > BigInt(MAX_UNIX)) throw new VariableError(['params.terms: the time lies outside 1970 to 9999']);
  return formatZoned(Number(total), plan.format as (typeof timestampFormats)[number], plan.offsetMinutes);
}

// ---------------------------------------------------------------------------
// IBAN

/** BBAN structure (SWIFT IBAN registry notation: n digits, a upper-case letters, c either) by country. */
const IBAN_FORMATS: Readonly<Record<string, string>> = {
  AD: '4n4n12c', AE: '3n16n', AT: '5n11n', BE: '3n7n2n', BH: '4a14c', BR: '8n5n10n1a1c', CH: '5n12c', CZ: '4n6n10n', DE: '8n10n', DK: '4n9n1n',
  EG: '4n4n17n', ES: '4n4n1n1n10n', FI: '3n11n', FR: '5n5n11c2n', GB: '4a6n8n', GR: '3n4n16c', IE: '4a6n8n', IT: '1a5n5n12c', JO: '4a4n18c',
  KW: '4a22c', LB: '4n20c', LU: '3n13c', NL: '4a10n', NO: '4n6n1n', PK: '4a16c', PL: '8n16n', PT: '4n4n11n2n', QA: '4a21c', RO: '4a16c', SA: '2n18c',
  SE: '3n16n1n', TN: '2n3n13n2n', TR: '5n1n16c', UA: '6n19c',
};
const ibanStructure = (country: string) => {
  const parts = [...IBAN_FORMATS[country]!.matchAll(/(\d+)([nac])/g)].map((m) => ({ length: Number(m[1]), type: m[2] as 'n' | 'a' | 'c' }));
  const pattern = new RegExp(`^${parts.map((p) => `${{ n: '[0-9]', a: '[A-Z]', c: '[A-Z0-9]' }[p.type]}{${p.length}}`).join('')}$`);
  return { parts, pattern, length: 4 + parts.reduce((n, p) => n + p.length, 0) };
};
export const ibanCountries = Object.keys(IBAN_FORMATS);

/** Remainder mod 97 of the number made by replacing letters with 10–35 (ISO 7064 MOD 97-10). */
const mod97 = (s: string): number => {
  let r = 0;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c >= 48 && c <= 57) r = (r * 10 + (c - 48)) % 97;
    else r = (r * 100 + (c - 55)) % 97;
  }
  return r;
};
const pad2 = (n: number) => String(n).padStart(2, '0');
const weighted = (s: string, weights: readonly number[]) => [...s].reduce((sum, ch, i) => sum + Number(ch) * weights[i]!, 0);
const spanishDigit = (s: string) => {
  const d = 11 - (weighted(s, [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11);
  return d === 11 ? 0 : d === 10 ? 1 : d;
};
const RIB_LETTERS = '12345678912345678923456789'; // A–Z in a French RIB
const ribDigits = (s: string) => s.replace(/[A-Z]/g, (ch) => RIB_LETTERS[ch.charCodeAt(0) - 65]!);
const CIN_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
const cinValue = (ch: string) => (ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 65);

/**
 * National check digits inside the BBAN, for the countries where the rule is
 * simple and public: `at` is where they sit, `compute` derives them from the
 * rest of the BBAN (null when no digits fit and the number must be redrawn).
 */
const NATIONAL_CHECKS: Readonly<Record<string, { at: readonly [number, number]; compute: (bban: string) => string | null }>> = {
  BE: { at: [10, 12], compute: (b) => pad2(mod97(b.slice(0, 10)) || 97) },
  FR: {
    at: [21, 23],
    compute: (b) => {
      const bank = BigInt(b.slice(0, 5));
      const branch = BigInt(b.slice(5, 10));
      const account = BigInt(ribDigits(b.slice(10, 21)));
      return pad2(97 - Number((89n * bank + 15n * branch + 3n * account) % 97n));
    },
  },
  ES: { at: [8, 10], compute: (b) => `${spanishDigit(`00${b.slice(0, 8)}`)}${spanishDigit(b.slice(10, 20))}` },
  IT: {
    at: [0, 1],
    compute: (b) => String.fromCharCode(65 + ([...b.slice(1, 23)].reduce((sum, ch, i) => sum + (i % 2 === 0 ? CIN_ODD[cinValue(ch)]! : cinValue(ch)), 0) % 26)),
  },
  NL: {
    at: [13, 14],
    compute: (b) => {
      const d = (11 - (weighted(b.slice(4, 13), [10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11)) % 11;
      return d === 10 ? null : String(d);
    },
  },
  NO: {
    at: [10, 11],
    compute: (b) => {
      const d = (11 - (weighted(b.slice(0, 10), [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11)) % 11;
      return d === 10 ? null : String(d);
    },
  },
  PT: { at: [19, 21], compute: (b) => pad2(98 - mod97(`${b.slice(0, 19)}00`)) },
  PL: { at: [7, 8], compute: (b) => String((10 - (weighted(b.slice(0, 7), [3, 9, 7, 1, 3, 9, 7]) % 10)) % 10) },
};

const nationalCheckOk = (country: string, bban: string): boolean => {
  const check = NATIONAL_CHECKS[country];
  return !check || check.compute(bban) === bban.slice(check.at[0], check.at[1]);
};

/**
 * Whether `iban` is a valid IBAN: spaces and letter case are ignored; the
 * check digits must pass ISO 7064 MOD 97-10. For the countries in
 * `ibanCountries` the length and BBAN structure are checked too (others only
 * get the general format); with `national`, also the national check digits of
 * BE, ES, FR, IT, NL, NO, PL and PT.
 */
export function isValidIban(iban: string, opts: { national?: boolean } = {}): boolean {
  if (typeof iban !== 'string') return false;
  const s = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}(0[2-9]|[1-8]\d|9[0-8])[A-Z0-9]{11,30}$/.test(s)) return false;
  const country = s.slice(0, 2);
  if (Object.hasOwn(IBAN_FORMATS, country)) {
    if (!ibanStructure(country).pattern.test(s.slice(4))) return false;
    if (opts.national && !nationalCheckOk(country, s.slice(4))) return false;
  }
  return mod97(s.slice(4) + s.slice(0, 4)) === 1;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const makeIban = (rng: Rng, country: string, format: 'electronic' | 'print'): string => {
  const { parts } = ibanStructure(country);
  const check = NATIONAL_CHECKS[country];
  let bban: string;
  for (;;) {
    bban = '';
    for (const part of parts) {
      for (let i = 0; i < part.length; i++) {
        // Alphanumeric fields are mostly digits in practice; keep them digits where a national check applies.
        const letter = part.type === 'a' || (part.type === 'c' && !check && rng.chance(0.15));
        bban += letter ? LETTERS[rng.int(0, 25)] : String(rng.int(0, 9));
      }
    }
    if (country === 'TR') bban = `${bban.slice(0, 5)}0${bban.slice(6)}`; // reserved digit
    if (!check) break;
    const checkDigits = check.compute(bban);
    if (checkDigits !== null) {
      bban = bban.slice(0, check.at[0]) + checkDigits + bban.slice(check.at[1]);
      break;
    }
  }
  const iban = `${country}${pad2(98 - mod97(`${bban}${country}00`))}${bban}`;
  return format === 'print' ? iban.replace(/(.{4})(?=.)/g, '$1 ') : iban;
};

// ---------------------------------------------------------------------------
// Phone numbers

/**
 * Mobile numbers in E.164 by country: calling code and the national significant
 * number as a pattern (a digit, X for any digit, [..] for a set or range).
 */
const PHONE_PLANS: ReadonlyArray<readonly [iso: string, code: string, pattern: string]> = [
  ['US', '1', '[2-9][0-8]X[2-9]XXXXXX'], ['CA', '1', '[2-9][0-8]X[2-9]XXXXXX'], ['GB', '44', '7[1-57-9]XXXXXXXX'], ['DE', '49', '1[5-7]XXXXXXXXX'],
  ['FR', '33', '[67]XXXXXXXX'], ['ES', '34', '[67]XXXXXXXX'], ['IT', '39', '3XXXXXXXXX'], ['NL', '31', '6XXXXXXXX'], ['BE', '32', '4[5-9]XXXXXXX'],
  ['CH', '41', '7[5-9]XXXXXXX'], ['AT', '43', '6[5-9]XXXXXXXX'], ['PT', '351', '9[1236]XXXXXXX'], ['IE', '353', '8[35-9]XXXXXXX'], ['GR', '30', '69XXXXXXXX'],
  ['PL', '48', '[5-8]XXXXXXXX'], ['SE', '46', '7[02369]XXXXXXX'], ['NO', '47', '[49]XXXXXXX'], ['UA', '380', '[5-9]XXXXXXXX'], ['RU', '7', '9XXXXXXXXX'],
  ['TR', '90', '5[0-5]XXXXXXXX'], ['BR', '55', '[1-9][1-9]9XXXXXXXX'], ['MX', '52', '[2-9]XXXXXXXXX'], ['AR', '54', '9[1-3]XXXXXXXXX'], ['CO', '57', '3[0-2]XXXXXXXX'],
  ['IN', '91', '[6-9]XXXXXXXXX'], ['CN', '86', '1[3-9]XXXXXXXXX'], ['JP', '81', '[789]0XXXXXXXX'], ['KR', '82', '10XXXXXXXX'], ['ID', '62', '8[1-9]XXXXXXXX'],
  ['PH', '63', '9XXXXXXXXX'], ['VN', '84', '[35789]XXXXXXXX'], ['TH', '66', '[689]XXXXXXXX'], ['SG', '65', '[89]XXXXXXX'], ['AU', '61', '4XXXXXXXX'],
  ['ZA', '27', '[6-8][1-4]XXXXXXX'], ['NG', '234', '[789][01]XXXXXXXX'], ['KE', '254', '7XXXXXXXX'], ['EG', '20', '1[0125]XXXXXXXX'], ['MA', '212', '[67]XXXXXXXX'],
  ['DZ', '213', '[567]XXXXXXXX'], ['TN', '216', '[2459]XXXXXXX'], ['SA', '966', '5XXXXXXXX'], ['AE', '971', '5[024568]XXXXXXX'], ['QA', '974', '[3567]XXXXXXX'],
  ['JO', '962', '7[789]XXXXXXX'], ['LB', '961', '7[01689]XXXXXX'],
];
const phonePattern = (pattern: string): string[] =>
  [...pattern.matchAll(/\[([^\]]+)\]|X|\d/g)].map((m) => {
    if (m[0] === 'X') return '0123456789';
    if (!m[1]) return m[0];
    return m[1].replace(/(\d)-(\d)/g, (_, a: string, b: string) => Array.from({ length: Number(b) - Number(a) + 1 }, (_x, i) => String(Number(a) + i)).join(''));
  });
const PHONES = PHONE_PLANS.map(([iso, code, pattern]) => ({ iso, code, digits: phonePattern(pattern) }));

const makePhone = (rng: Rng, country: string | undefined): string => {
  let plans = PHONES;
  if (country !== undefined) {
    plans = /^[A-Z]{2}$/.test(country) ? PHONES.filter((p) => p.iso === country) : PHONES.filter((p) => p.code === country);
    if (plans.length === 0) {
      // A calling code without a plan here: a plausible national number, within E.164's 15 digits.
      return `+${country}${rng.int(2, 9)}${digits(rng, Math.min(9, 15 - country.length) - 1)}`;
    }
  }
  const plan = rng.pick(plans);
  return `+${plan.code}${plan.digits.map((set) => set[rng.int(0, set.length - 1)]).join('')}`;
};

// ---------------------------------------------------------------------------
// The generators

const nameParams = (p: Params) => {
  // Names come from a built-in multinational list; a locale is accepted for forward compatibility.
  p.string('locale');
};

const hexBytes = (n: number): Spec => () => (rng) => hexOf(rng.bytes(n));

const SPECS: { readonly [G in Generator]: Spec } = {
  person_name: (p) => {
    nameParams(p);
    return (rng) => {
      const { first, last } = drawName(rng);
      return `${first} ${last}`;
    };
  },
  first_name: (p) => {
    nameParams(p);
    return (rng) => drawName(rng).first;
  },
  last_name: (p) => {
    nameParams(p);
    return (rng) => drawName(rng).last;
  },
  company_name: () => (rng) => {
    let name: string;
    do name = `${rng.pick(WORD_A)}${rng.pick(WORD_B)}`;
    while (isBrand(name));
    return `${capitalize(name)} ${rng.pick(SECTORS)} ${rng.pick(LEGAL_FORMS)}`;
  },
  username: () => makeUsername,
  email: (p) => {
    const raw = p.string('domain');
    const domain = raw === undefined ? undefined : hostName(raw);
    if (domain === null) p.problem('domain', 'must be a domain name such as "example-corp.com"');
    return (rng) => makeEmail(rng, domain ?? undefined);
  },
  domain: (p) => {
    const tld = tldParam(p);
    return (rng) => makeDomain(rng, tld);
  },
  url: (p) => {
    const tld = tldParam(p);
    const raw = p.string('domain');
    const domain = raw === undefined ? undefined : hostName(raw);
    if (domain === null) p.problem('domain', 'must be a domain name such as "example-corp.com"');
    return (rng) => `https://${domain ?? makeDomain(rng, tld)}${urlPath(rng)}`;
  },
  ipv4: (p) => {
    const range = p.oneOf('range', ['public', 'private'], 'public');
    return (rng) => makeIpv4(rng, range);
  },
  ipv6: () => makeIpv6,
  bitcoin_address: (p) => {
    const type = p.oneOf('type', bitcoinTypes, 'p2wpkh');
    return (rng) => makeBitcoinAddress(rng, type);
  },
  amount: (p) => {
    const min = p.number('min', { required: true });
    const max = p.number('max', { required: true });
    const decimals = p.number('decimals', { integer: true, min: 0, max: 18 }) ?? 2;
    if (min === undefined || max === undefined || !p.ok) return () => '';
    if (max < min) {
      p.problem('max', 'must not be less than params.min');
      return () => '';
    }
    const lo = scaleDecimal(min, decimals, 'up');
    const hi = scaleDecimal(max, decimals, 'down');
    if (lo > hi) {
      p.problem('decimals', `no amount with ${decimals} decimals lies between params.min and params.max`);
      return () => '';
    }
    return (rng) => formatScaled(lo + rng.below(hi - lo + 1n), decimals);
  },
  integer: (p) => {
    const min = p.number('min', { required: true, integer: true });
    const max = p.number('max', { required: true, integer: true });
    if (min !== undefined && max !== undefined && max < min) p.problem('max', 'must not be less than params.min');
    return (rng) => String(rng.int(min!, max!));
  },
  timestamp: (p) => {
    const read = (name: 'start' | 'end') => {
      const raw = p.string(name, { required: true });
      if (raw === undefined) return undefined;
      const t = parseIso(raw);
      if (!t) p.problem(name, 'must be an ISO 8601 date-time with a time zone, such as "2024-03-01T08:00:00Z", or a date such as "2024-03-01"');
      else if (t.seconds < 0 || t.seconds > MAX_UNIX) p.problem(name, 'must lie between 1970 and 9999');
      else return t;
      return undefined;
    };
    const start = read('start');
    const end = read('end');
    const format = p.oneOf('format', timestampFormats, 'iso');
    if (!start || !end) return () => '';
    // Whole seconds within the range.
    const lo = start.seconds + (start.fraction ? 1 : 0);
    const hi = end.seconds;
    if (end.seconds < start.seconds) p.problem('end', 'must not be before params.start');
    else if (hi < lo) p.problem('end', 'must include a whole second at or after params.start');
    return (rng) => formatTimestamp(rng.int(lo, hi), format);
  },
  iban: (p) => {
    const raw = p.string('country');
    const country = raw?.trim().toUpperCase() ?? 'DE';
    if (raw !== undefined && !Object.hasOwn(IBAN_FORMATS, country)) p.problem('country', `must be one of ${ibanCountries.join(', ')}`);
    const format = p.oneOf('format', ['electronic', 'print'], 'electronic');
    return (rng) => makeIban(rng, country, format);
  },
  phone: (p) => {
    const raw = p.get('country');
    let country: string | undefined;
    if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 1 && raw <= 999) country = String(raw);
    else if (typeof raw === 'string' && /^\+?[1-9]\d{0,2}$/.test(raw.trim())) country = raw.trim().replace('+', '');
    else if (typeof raw === 'string' && /^[A-Za-z]{2}$/.test(raw.trim()) && PHONES.some((x) => x.iso === raw.trim().toUpperCase())) country = raw.trim().toUpperCase();
    else if (raw !== undefined)
      p.problem('country', `must be a calling code such as "+33" or one of ${[...new Set(PHONES.map((x) => x.iso))].join(', ')}`);
    return (rng) => makePhone(rng, country);
  },
  md5: hexBytes(16),
  sha1: hexBytes(20),
  sha256: hexBytes(32),
  hex: (p) => {
    const length = p.number('length', { integer: true, min: 1, max: 1024 }) ?? 32;
    return (rng) => hexOf(rng.bytes(Math.ceil(length / 2))).slice(0, length);
  },
  choice: (p) => {
    const values = p.get('values');
    if (values === undefined) p.problem('values', 'required for choice');
    else if (!Array.isArray(values) || values.length === 0) p.problem('values', 'must be a non-empty list of strings or numbers');
    else
      values.forEach((v: unknown, i) => {
        if (!((typeof v === 'string' && v.length > 0) || (typeof v === 'number' && Number.isFinite(v)))) p.problem(`values[${i}]`, 'must be a non-empty string or a number');
      });
    return (rng) => String(rng.pick(values as ReadonlyArray<string | number>));
  },
  sum: (p) => {
    const plan = sumPlan(p);
    return (_rng, values) => computeSum(plan!, (name) => (Object.hasOwn(values, name) ? values[name] : undefined));
  },
};

function tldParam(p: Params): string | undefined {
  const raw = p.string('tld');
  if (raw === undefined) return undefined;
  const tld = raw.trim().toLowerCase().replace(/^\./, '');
  const labels = tld.split('.');
  if (labels.length > 2 || !labels.every((l) => LABEL.test(l)) || !/[a-z]/.test(labels.at(-1)!)) {
    p.problem('tld', 'must be a top-level domain such as "com" or "co.uk"');
    return undefined;
  }
  return tld;
}

/** The generator names, as in definition.ts. */
export const generatorNames = Object.keys(SPECS) as Generator[];
export const isGenerator = (name: unknown): name is Generator => typeof name === 'string' && Object.hasOwn(SPECS, name);

const prepare = (generator: Generator, params: Readonly<Record<string, unknown>> | undefined) => {
  const p = new Params(generator, params ?? {});
  const run = SPECS[generator](p);
  p.finish();
  return { problems: p.problems, run };
};

/**
 * Problems with a variable definition, each starting with the offending field
 * (`generator: …` or `params.min: must be a number`), for the package validator
 * to prefix with `variables.<name>.`; only a definition that is not an object
 * at all gets a problem without a field. Empty when the variable is usable.
 */
export function validateVariable(def: unknown): string[] {
  if (typeof def !== 'object' || def === null || Array.isArray(def)) return ['must be an object with a generator'];
  const { generator, params } = def as { generator?: unknown; params?: unknown };
  if (generator === undefined) return ['generator: required'];
  if (!isGenerator(generator)) return [`generator: unknown generator ${show(generator)} (known: ${generatorNames.join(', ')})`];
  if (params !== undefined && (typeof params !== 'object' || params === null || Array.isArray(params))) return ['params: must be an object'];
  return prepare(generator, params as Readonly<Record<string, unknown>> | undefined).problems;
}

/**
 * One value from `generator`, drawn from `rng`; a `sum` reads the variables it names from `values`.
 * Throws VariableError for bad parameters.
 */
export function generate(generator: Generator, params: VariableParams | undefined, rng: Rng, values: Readonly<Record<string, string>> = {}): string {
  if (!isGenerator(generator)) throw new VariableError([`generator: unknown generator ${show(generator)}`]);
  const { problems, run } = prepare(generator, params);
  if (problems.length > 0) throw new VariableError(problems);
  return run(rng, values);
}
