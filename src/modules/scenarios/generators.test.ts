import { createHash, createHmac } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import { bech32, createBase58check } from '@scure/base';
import { describe, expect, it } from 'vitest';
import { generators } from './definition.ts';
import { generate, generatorNames, ibanCountries, isValidBitcoinAddress, isValidIban, validateVariable, VariableError, type Generator, type VariableParams } from './generators.ts';
import { createRng } from './rng.ts';

const seeds = Array.from({ length: 50 }, (_, i) => `team-seed-${i}-${(i * 7919).toString(36)}`);
const gen = (generator: Generator, params?: VariableParams, seed = 'seed', stream = 'v') => generate(generator, params, createRng(seed, stream));
const many = (n: number, generator: Generator, params?: VariableParams) => Array.from({ length: n }, (_, i) => gen(generator, params, `s${i}`));

const sha256 = (d: Uint8Array) => new Uint8Array(createHash('sha256').update(d).digest());
const base58check = createBase58check(sha256);

/** Valid parameters for every generator that needs some. */
const PARAMS: Partial<Record<Generator, VariableParams>> = {
  amount: { min: 0.05, max: 2.5, decimals: 8 },
  integer: { min: 1000, max: 9_999_999 },
  timestamp: { start: '2024-01-01T00:00:00Z', end: '2024-12-31T23:59:59Z' },
  choice: { values: ['alpha', 'bravo', 'charlie', 42] },
  sum: { terms: [1.5, '-0.25'], decimals: 2 },
};

describe('rng', () => {
  it('is HMAC-SHA256(seed, tag ‖ len ‖ stream ‖ counter), so the values of a seed never drift', () => {
    const rng = createRng('my seed', 'wallet');
    const first = rng.bytes(40);
    const block = (counter: number) => {
      const tag = Buffer.from('cybercap/scenario-rng/v1\0');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(6);
      const ctr = Buffer.alloc(8);
      ctr.writeBigUInt64BE(BigInt(counter));
      return createHmac('sha256', 'my seed').update(Buffer.concat([tag, len, Buffer.from('wallet'), ctr])).digest();
    };
    expect(Buffer.from(first)).toEqual(Buffer.concat([block(0), block(1)]).subarray(0, 40));
  });

  it('gives the same stream however the bytes are requested', () => {
    const a = createRng('s', 'x');
    const b = createRng('s', 'x');
    const chunks = [a.bytes(5), a.bytes(0), a.bytes(40), a.bytes(19)];
    expect(Buffer.concat(chunks)).toEqual(Buffer.from(b.bytes(64)));
  });

  it('gives independent streams per seed and per name, without ambiguity between them', () => {
    const hex = (seed: string, stream: string) => Buffer.from(createRng(seed, stream).bytes(32)).toString('hex');
    const all = [hex('s', 'a'), hex('s', 'b'), hex('t', 'a'), hex('s', 'a1'), hex('s', 'a\u0000'), hex('s', '')];
    expect(new Set(all).size).toBe(all.length);
    expect(() => createRng('', 'a')).toThrow(/seed/);
  });

  it('draws integers within bounds, covering the range evenly', () => {
    const rng = createRng('dice', 'd6');
    const counts = new Map<number, number>();
    for (let i = 0; i < 6000; i++) {
      const v = rng.int(1, 6);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const c of counts.values()) expect(c).toBeGreaterThan(850), expect(c).toBeLessThan(1150);
    expect(rng.int(7, 7)).toBe(7);
    const big = rng.int(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    expect(Number.isSafeInteger(big)).toBe(true);
    expect(() => rng.int(2, 1)).toThrow(RangeError);
    expect(() => rng.int(0.5, 1)).toThrow(RangeError);
    for (let i = 0; i < 200; i++) expect(rng.below(1000n)).toBeLessThan(1000n);
    const huge = 10n ** 30n + 7n;
    for (let i = 0; i < 50; i++) expect(rng.below(huge)).toBeLessThan(huge);
    for (let i = 0; i < 200; i++) {
      const f = rng.float();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
    }
  });

  it('has no modulo bias on a range just above a power of two', () => {
    // 0..(2^8 + 2^7 − 1): with "byte % 384" the low values would come up twice as often.
    const rng = createRng('bias', 'x');
    let low = 0;
    const n = 30_000;
    for (let i = 0; i < n; i++) if (rng.int(0, 383) < 128) low++;
    expect(low / n).toBeGreaterThan(0.31);
    expect(low / n).toBeLessThan(0.356);
  });
});

describe('generator set', () => {
  it('implements exactly the generators of the scenario definition', () => {
    expect([...generatorNames].sort()).toEqual([...generators].sort());
  });

  it('is deterministic: the same seed and name always give the same value', () => {
    for (const g of generators) {
      for (const seed of seeds.slice(0, 5)) expect(gen(g, PARAMS[g], seed, 'name'), g).toBe(gen(g, PARAMS[g], seed, 'name'));
    }
  });

  const highEntropy: Array<[Generator, VariableParams?]> = [
    ['username'],
    ['email'],
    ['domain'],
    ['url'],
    ['company_name'],
    ['ipv4'],
    ['ipv4', { range: 'private' }],
    ['ipv6'],
    ['bitcoin_address'],
    ['bitcoin_address', { type: 'p2pkh' }],
    ['bitcoin_address', { type: 'p2sh' }],
    ['amount', PARAMS.amount],
    ['integer', PARAMS.integer],
    ['timestamp', PARAMS.timestamp],
    ['iban'],
    ['iban', { country: 'NO' }],
    ['phone'],
    ['phone', { country: '+33' }],
    ['md5'],
    ['sha1'],
    ['sha256'],
    ['hex', { length: 12 }],
  ];
  it.each(highEntropy)('%s %j gives a different value to each of 50 seeds', (g, params) => {
    const values = seeds.map((s) => gen(g, params, s));
    expect(new Set(values).size).toBe(values.length);
  });

  it('varies low-entropy values too', () => {
    for (const g of ['person_name', 'first_name', 'last_name'] as const) expect(new Set(seeds.map((s) => gen(g, undefined, s))).size, g).toBeGreaterThan(25);
    expect(new Set(seeds.map((s) => gen('choice', PARAMS.choice, s)))).toEqual(new Set(['alpha', 'bravo', 'charlie', '42']));
  });
});

describe('names, companies, accounts and domains', () => {
  const BRANDS = ['paypal', 'google', 'apple', 'amazon', 'microsoft', 'facebook', 'coinbase', 'binance', 'gmail', 'yahoo', 'outlook', 'icloud', 'netflix'];

  it('gives plausible person names', () => {
    for (const name of many(300, 'person_name')) expect(name).toMatch(/^\p{Lu}[\p{L}'-]+ (?:\p{L}+[ -])?\p{L}[\p{L}'-]+$/u);
    for (const name of many(300, 'first_name')) expect(name).toMatch(/^\p{Lu}[\p{L}-]+$/u);
    for (const name of many(300, 'last_name')) expect(name).toMatch(/^\p{L}[\p{L}' -]+$/u);
    expect(gen('person_name', { locale: 'fr' })).toBe(gen('person_name'));
  });

  it('gives company names like "Northwind Logistics Ltd"', () => {
    const companies = many(3000, 'company_name');
    for (const c of companies) expect(c).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ [A-Z][A-Za-z. -]+$/);
    for (const c of companies) expect(c.toLowerCase()).not.toMatch(/^(silvergate|bluecrest|clearview|westfield|pinebridge) /);
  });

  it('gives ASCII usernames', () => {
    for (const u of many(500, 'username')) expect(u).toMatch(/^[a-z][a-z0-9._]{2,31}$/);
  });

  it('gives e-mail addresses, on a given domain if asked', () => {
    for (const e of many(500, 'email')) expect(e).toMatch(/^[a-z0-9]+(?:[._][a-z0-9]+)*@[a-z0-9]+(?:-[a-z0-9]+)*\.[a-z]{2,}$/);
    for (const e of many(50, 'email', { domain: 'Example-Corp.com' })) expect(e).toMatch(/^[a-z0-9._]+@example-corp\.com$/);
  });

  it('gives domains with realistic TLDs and no well-known brands', () => {
    const domains = many(2000, 'domain');
    for (const d of domains) {
      expect(d).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*\.(com|net|org|io|biz|info|co|online|xyz)$/);
      for (const b of BRANDS) expect(d.replace(/-/g, '')).not.toContain(b);
    }
    expect(new Set(domains.map((d) => d.split('.').at(-1))).size).toBeGreaterThanOrEqual(8);
    for (const d of many(20, 'domain', { tld: '.co.uk' })) expect(d).toMatch(/^[a-z0-9-]+\.co\.uk$/);
  });

  it('gives https URLs that parse and are already canonical', () => {
    for (const u of many(500, 'url')) {
      const parsed = new URL(u);
      expect(parsed.protocol).toBe('https:');
      expect(parsed.href).toBe(u);
      expect(parsed.pathname.length).toBeGreaterThan(1);
    }
    for (const u of many(20, 'url', { domain: 'portal.example-corp.com' })) expect(new URL(u).hostname).toBe('portal.example-corp.com');
  });
});

describe('IP addresses', () => {
  const cidr = (a: string, len: number) => [a.split('.').reduce((n, o) => n * 256 + Number(o), 0), len] as const;
  const toInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const inRange = (ip: string, [start, len]: readonly [number, number]) => Math.floor(toInt(ip) / 2 ** (32 - len)) === Math.floor(start / 2 ** (32 - len));
  const NOT_PUBLIC = [
    cidr('0.0.0.0', 8), cidr('10.0.0.0', 8), cidr('100.64.0.0', 10), cidr('127.0.0.0', 8), cidr('169.254.0.0', 16), cidr('172.16.0.0', 12),
    cidr('192.0.0.0', 24), cidr('192.0.2.0', 24), cidr('192.168.0.0', 16), cidr('198.18.0.0', 15), cidr('198.51.100.0', 24), cidr('203.0.113.0', 24),
    cidr('224.0.0.0', 4), cidr('240.0.0.0', 4),
  ];
  const PRIVATE = [cidr('10.0.0.0', 8), cidr('172.16.0.0', 12), cidr('192.168.0.0', 16)];

  it('gives public unicast IPv4 addresses by default, never private or reserved', () => {
    const ips = many(5000, 'ipv4');
    for (const ip of ips) {
      expect(isIPv4(ip), ip).toBe(true);
      expect(ip).toMatch(/^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/);
      for (const r of NOT_PUBLIC) expect(inRange(ip, r), ip).toBe(false);
      expect(ip).not.toMatch(/\.(0|255)$/);
    }
    expect(new Set(ips.map((ip) => ip.split('.')[0])).size).toBeGreaterThan(150);
  });

  it('gives RFC 1918 addresses for range "private", from all three blocks', () => {
    const ips = many(600, 'ipv4', { range: 'private' });
    for (const ip of ips) expect(PRIVATE.some((r) => inRange(ip, r)), ip).toBe(true);
    for (const r of PRIVATE) expect(ips.some((ip) => inRange(ip, r))).toBe(true);
  });

  it('gives global unicast IPv6 addresses in canonical RFC 5952 form', () => {
    const ips = many(1000, 'ipv6');
    for (const ip of ips) {
      expect(isIPv6(ip), ip).toBe(true);
      expect(ip).toMatch(/^2a0[0-9a-f]:/);
      expect(ip).not.toMatch(/(^|:)0[0-9a-f]/); // no leading zeros
      expect(ip).not.toMatch(/[A-F]/);
      // WHATWG URL serialises IPv6 hosts per RFC 5952 (longest zero run, first on a tie, never a single group).
      expect(new URL(`http://[${ip}]/`).hostname).toBe(`[${ip}]`);
    }
    expect(ips.some((ip) => ip.includes('::'))).toBe(true);
  });
});

describe('Bitcoin addresses', () => {
  it('gives P2WPKH (bc1q…) by default, decodable with a 20-byte version-0 program', () => {
    for (const a of many(200, 'bitcoin_address')) {
      expect(a).toMatch(/^bc1q[02-9ac-hj-np-z]{38}$/);
      const { prefix, words } = bech32.decode(a as `${string}1${string}`);
      expect(prefix).toBe('bc');
      expect(words[0]).toBe(0);
      expect(bech32.fromWords(words.slice(1))).toHaveLength(20);
      expect(isValidBitcoinAddress(a)).toBe(true);
    }
  });

  it('gives P2PKH (1…, version 0x00) and P2SH (3…, version 0x05) with valid Base58Check', () => {
    for (const [type, version, first] of [['p2pkh', 0x00, '1'], ['p2sh', 0x05, '3']] as const) {
      for (const a of many(200, 'bitcoin_address', { type })) {
        expect(a[0]).toBe(first);
        expect(a).toMatch(/^[1-9A-HJ-NP-Za-km-z]{25,34}$/);
        const payload = base58check.decode(a);
        expect(payload).toHaveLength(21);
        expect(payload[0]).toBe(version);
        expect(isValidBitcoinAddress(a)).toBe(true);
      }
    }
  });

  it('accepts well-known real addresses', () => {
    expect(isValidBitcoinAddress('1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa')).toBe(true); // genesis block
    expect(isValidBitcoinAddress('3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy')).toBe(true);
    expect(isValidBitcoinAddress('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')).toBe(true);
    expect(isValidBitcoinAddress('BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ')).toBe(true);
    expect(isValidBitcoinAddress('bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0')).toBe(true); // taproot, BIP 86
  });

  it('rejects every one-character change, and other invalid addresses', () => {
    const alphabet58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    const alphabet32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
    const addresses = [gen('bitcoin_address'), gen('bitcoin_address', { type: 'p2pkh' }), gen('bitcoin_address', { type: 'p2sh' })];
    for (const a of addresses) {
      const alphabet = a.startsWith('bc1') ? alphabet32 : alphabet58;
      for (let i = a.startsWith('bc1') ? 3 : 0; i < a.length; i++) {
        const replacement = alphabet[(alphabet.indexOf(a[i]!) + 1 + (i % 5)) % alphabet.length]!;
        const mutated = a.slice(0, i) + replacement + a.slice(i + 1);
        expect(mutated).not.toBe(a);
        expect(isValidBitcoinAddress(mutated), mutated).toBe(false);
      }
      expect(isValidBitcoinAddress(a.slice(0, -1))).toBe(false);
      expect(isValidBitcoinAddress(`${a}q`)).toBe(false);
    }
    const p2wpkh = addresses[0]!;
    expect(isValidBitcoinAddress(p2wpkh.slice(0, 10).toUpperCase() + p2wpkh.slice(10))).toBe(false); // mixed case
    const program = bech32.fromWords(bech32.decode(p2wpkh as `${string}1${string}`).words.slice(1));
    expect(isValidBitcoinAddress(bech32.encode('tb', [0, ...bech32.toWords(program)]))).toBe(false); // testnet
    expect(isValidBitcoinAddress(bech32.encode('bc', [0, ...bech32.toWords(program.slice(0, 19))]))).toBe(false); // wrong length
    const testnetP2pkh = new Uint8Array(21);
    testnetP2pkh[0] = 0x6f;
    expect(isValidBitcoinAddress(base58check.encode(testnetP2pkh))).toBe(false);
    for (const bad of ['', 'bc1', '1', 'hello world', '0x52908400098527886E0F7030069857D2E4169EE7', 'bc1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq']) expect(isValidBitcoinAddress(bad), bad).toBe(false);
  });
});

describe('amounts and integers', () => {
  it('gives exactly `decimals` digits, within bounds', () => {
    for (const a of many(1000, 'amount', { min: 0.05, max: 2.5, decimals: 8 })) {
      expect(a).toMatch(/^\d\.\d{8}$/);
      expect(Number(a)).toBeGreaterThanOrEqual(0.05);
      expect(Number(a)).toBeLessThanOrEqual(2.5);
    }
    for (const a of many(200, 'amount', { min: 1000, max: 50000 })) {
      expect(a).toMatch(/^\d{4,5}\.\d{2}$/);
      expect(Number(a)).toBeGreaterThanOrEqual(1000);
      expect(Number(a)).toBeLessThanOrEqual(50000);
    }
    for (const a of many(200, 'amount', { min: 5, max: 50, decimals: 0 })) expect(a).toMatch(/^\d{1,2}$/);
  });

  it('handles bounds that binary floating point cannot represent exactly', () => {
    // 0.29 × 100 is 28.999999999999996 in floating point; the bound is still 0.29.
    const values = many(400, 'amount', { min: 0.29, max: 0.31 });
    expect(new Set(values)).toEqual(new Set(['0.29', '0.30', '0.31']));
    expect(gen('amount', { min: 1.5, max: 1.5 })).toBe('1.50');
    expect(gen('amount', { min: 1e-7, max: 2e-7, decimals: 8 })).toMatch(/^0\.000000(1\d|20)$/);
    // Bounds finer than the decimals round inwards.
    for (const a of many(100, 'amount', { min: 0.001, max: 0.029, decimals: 2 })) expect(['0.01', '0.02']).toContain(a);
  });

  it('handles negative ranges', () => {
    for (const a of many(200, 'amount', { min: -10, max: -9, decimals: 1 })) {
      expect(a).toMatch(/^-(9|10)\.\d$/);
      expect(Number(a)).toBeGreaterThanOrEqual(-10);
      expect(Number(a)).toBeLessThanOrEqual(-9);
    }
  });

  it('gives integers in [min, max], reaching both ends', () => {
    const values = many(300, 'integer', { min: -2, max: 2 });
    expect(new Set(values)).toEqual(new Set(['-2', '-1', '0', '1', '2']));
    expect(gen('integer', { min: 7, max: 7 })).toBe('7');
  });
});

describe('timestamps', () => {
  const start = '2024-03-01T08:00:00Z';
  const end = '2024-03-03T20:30:00Z';
  const lo = Date.parse(start);
  const hi = Date.parse(end);

  it('gives ISO 8601 UTC times, in whole seconds, within the range', () => {
    for (const t of many(500, 'timestamp', { start, end })) {
      expect(t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(Date.parse(t)).toBeGreaterThanOrEqual(lo);
      expect(Date.parse(t)).toBeLessThanOrEqual(hi);
    }
  });

  it('formats as RFC 2822, Unix seconds or a date', () => {
    for (const [i, t] of many(200, 'timestamp', { start, end, format: 'rfc2822' }).entries()) {
      expect(t).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
      expect(Date.parse(t)).toBeGreaterThanOrEqual(lo);
      expect(Date.parse(t)).toBeLessThanOrEqual(hi);
      // Same draw as the ISO form: only the format differs, and the weekday is right.
      const iso = gen('timestamp', { start, end }, `s${i}`);
      expect(Date.parse(t)).toBe(Date.parse(iso));
      expect(t.slice(0, 3)).toBe(new Date(iso).toUTCString().slice(0, 3));
    }
    for (const t of many(200, 'timestamp', { start, end, format: 'unix' })) {
      expect(t).toMatch(/^\d{10}$/);
      expect(Number(t) * 1000).toBeGreaterThanOrEqual(lo);
      expect(Number(t) * 1000).toBeLessThanOrEqual(hi);
    }
    expect(new Set(many(200, 'timestamp', { start, end, format: 'date' }))).toEqual(new Set(['2024-03-01', '2024-03-02', '2024-03-03']));
  });

  it('reads offsets and dates, and rounds fractional bounds inwards', () => {
    expect(gen('timestamp', { start: '2024-03-01T10:00:00+02:00', end: '2024-03-01T08:00:00Z' })).toBe('2024-03-01T08:00:00Z');
    expect(gen('timestamp', { start: '2024-03-01', end: '2024-03-01' })).toBe('2024-03-01T00:00:00Z');
    expect(gen('timestamp', { start: '2024-03-01T00:00:00.250Z', end: '2024-03-01T00:00:01.900Z' })).toBe('2024-03-01T00:00:01Z');
  });
});

describe('IBANs', () => {
  // Lengths from the SWIFT IBAN registry, independent of the generator's table.
  const LENGTHS: Record<string, number> = {
    AD: 24, AE: 23, AT: 20, BE: 16, BH: 22, BR: 29, CH: 21, CZ: 24, DE: 22, DK: 18, EG: 29, ES: 24, FI: 18, FR: 27, GB: 22, GR: 27, IE: 22, IT: 27,
    JO: 30, KW: 30, LB: 28, LU: 20, NL: 18, NO: 15, PK: 24, PL: 28, PT: 25, QA: 29, RO: 24, SA: 24, SE: 24, TN: 24, TR: 26, UA: 29,
  };
  const mod97 = (iban: string) => {
    const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
    return BigInt(digits) % 97n;
  };
  // Examples from the SWIFT IBAN registry and national documentation.
  const REAL = [
    'DE89370400440532013000', 'GB29NWBK60161331926819', 'CH9300762011623852957', 'AT611904300234573201', 'NL91ABNA0417164300', 'BE68539007547034',
    'FR1420041010050500013M02606', 'ES9121000418450200051332', 'IT60X0542811101000000123456', 'PT50000201231234567890154', 'NO9386011117947',
    'PL61109010140000071219812874', 'SE4550000000058398257466', 'DK5000400440116243', 'FI2112345600000785', 'IE29AIBK93115212345678',
    'LU280019400644750000', 'GR1601101250000000012300695', 'RO49AAAA1B31007593840000', 'CZ6508000000192000145399', 'SA0380000000608010167519',
    'AE070331234567890123456', 'QA58DOHB00001234567890ABCDEFG', 'BH67BMAG00001299123456', 'KW81CBKU0000000000001234560101',
    'JO94CBJO0010000000000131000302', 'TR330006100519786457841326', 'AD1200012030200359100100',
  ];

  it('covers at least 20 countries, all in the registry', () => {
    expect(ibanCountries.length).toBeGreaterThanOrEqual(20);
    expect([...ibanCountries].sort()).toEqual(Object.keys(LENGTHS).sort());
  });

  it.each(Object.keys(LENGTHS))('gives valid %s IBANs: right length, structure, mod-97 and national check digits', (country) => {
    for (const iban of many(40, 'iban', { country })) {
      expect(iban.slice(0, 2)).toBe(country);
      expect(iban).toHaveLength(LENGTHS[country]!);
      expect(iban).toMatch(/^[A-Z]{2}\d{2}[A-Z0-9]+$/);
      expect(mod97(iban)).toBe(1n);
      expect(isValidIban(iban, { national: true }), iban).toBe(true);
    }
  });

  it('gives account numbers that pass national checks (computed independently here)', () => {
    const weightedSum = (digits: string, weights: number[]) => [...digits].reduce((sum, d, i) => sum + Number(d) * weights[i]!, 0);
    for (const iban of many(300, 'iban', { country: 'NO' })) expect(weightedSum(iban.slice(4), [5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1]) % 11, iban).toBe(0);
    for (const iban of many(300, 'iban', { country: 'NL' })) expect(weightedSum(iban.slice(8), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]) % 11, iban).toBe(0);
    for (const iban of many(300, 'iban', { country: 'BE' })) expect(Number(BigInt(iban.slice(4, 14)) % 97n) || 97, iban).toBe(Number(iban.slice(14)));
  });

  it('defaults to Germany and formats for print on request', () => {
    expect(gen('iban')).toMatch(/^DE\d{20}$/);
    const printed = gen('iban', { country: 'fr', format: 'print' });
    expect(printed).toMatch(/^FR\d{2}( [A-Z0-9]{4}){5} [A-Z0-9]{3}$/);
    expect(isValidIban(printed)).toBe(true);
    expect(printed.replace(/ /g, '')).toBe(gen('iban', { country: 'FR' }));
    for (const iban of many(100, 'iban', { country: 'PT' })) expect(iban.slice(0, 4)).toBe('PT50'); // the NIB check makes it so
  });

  it('accepts real IBANs, with their national check digits', () => {
    for (const iban of REAL) {
      expect(mod97(iban), iban).toBe(1n);
      expect(isValidIban(iban, { national: true }), iban).toBe(true);
    }
    expect(isValidIban('de89 3704 0044 0532 0130 00')).toBe(true);
    expect(isValidIban('HR1210010051863000160')).toBe(true); // a country outside the table: format and mod-97 only
  });

  it('rejects changed digits, wrong lengths and wrong structure', () => {
    for (const iban of [...REAL, ...many(20, 'iban', { country: 'GB' })]) {
      for (let i = 2; i < iban.length; i++) {
        const c = iban[i]!;
        const mutated = iban.slice(0, i) + (/\d/.test(c) ? String((Number(c) + 1 + (i % 9)) % 10) : c === 'Z' ? 'A' : String.fromCharCode(c.charCodeAt(0) + 1)) + iban.slice(i + 1);
        expect(isValidIban(mutated), mutated).toBe(false);
      }
    }
    expect(isValidIban('DE8937040044053201300')).toBe(false);
    expect(isValidIban('DE89370400440532013000 1')).toBe(false);
    expect(isValidIban('NL91ABNA0417164300'.replace('ABNA', '1BNA'))).toBe(false);
    expect(isValidIban('')).toBe(false);
    // A national check digit wrong but the IBAN check digits recomputed: valid IBAN, invalid account.
    const bban = '539007547035';
    const be = `BE${String(98 - Number(BigInt(`${bban}111400`) % 97n)).padStart(2, '0')}${bban}`;
    expect(isValidIban(be)).toBe(true);
    expect(isValidIban(be, { national: true })).toBe(false);
  });
});

describe('phone numbers', () => {
  it('gives E.164 numbers', () => {
    for (const p of many(500, 'phone')) expect(p).toMatch(/^\+[1-9]\d{7,14}$/);
  });

  it('uses the calling code asked for, as "+33", "33", 33 or "FR"', () => {
    const forms = [many(50, 'phone', { country: '+33' }), many(50, 'phone', { country: '33' }), many(50, 'phone', { country: 33 }), many(50, 'phone', { country: 'fr' })];
    for (const p of forms.flat()) expect(p).toMatch(/^\+33[67]\d{8}$/);
    expect(forms[0]).toEqual(forms[1]);
    for (const p of many(50, 'phone', { country: 'GB' })) expect(p).toMatch(/^\+447\d{9}$/);
    for (const p of many(50, 'phone', { country: '+1' })) expect(p).toMatch(/^\+1[2-9]\d{2}[2-9]\d{6}$/);
    for (const p of many(50, 'phone', { country: '+299' })) expect(p).toMatch(/^\+299\d{9}$/); // no plan: a generic number
  });
});

describe('hashes, hex and choice', () => {
  it('gives lower-case hex of the right length', () => {
    for (const [g, n] of [['md5', 32], ['sha1', 40], ['sha256', 64]] as const) for (const h of many(100, g)) expect(h).toMatch(new RegExp(`^[0-9a-f]{${n}}$`));
    for (const h of many(100, 'hex')) expect(h).toMatch(/^[0-9a-f]{32}$/);
    for (const h of many(100, 'hex', { length: 7 })) expect(h).toMatch(/^[0-9a-f]{7}$/);
  });

  it('picks one of the values', () => {
    const values = many(300, 'choice', { values: ['north', 'south', 3.5] });
    expect(new Set(values)).toEqual(new Set(['north', 'south', '3.5']));
  });
});

describe('sum', () => {
  it('adds constants and the values it is given, in fixed point', () => {
    const rng = createRng('s', 'v');
    expect(generate('sum', { terms: [0.1, 0.2], decimals: 8 }, rng)).toBe('0.30000000');
    expect(generate('sum', { terms: ['paid', '-fee', '-0.00001410'], decimals: 8 }, rng, { paid: '1.25000000', fee: '0.0002' })).toBe('1.24978590');
    expect(generate('sum', { terms: ['a', -2], decimals: 0 }, rng, { a: '1' })).toBe('-1');
    expect(() => generate('sum', { terms: ['a'] }, rng)).toThrow(/params\.terms\[0\]: no variable "a"/);
    expect(() => generate('sum', { terms: ['a'], decimals: 2 }, rng, { a: '1.005' })).toThrow(/not a number with at most 2 decimals/);
  });

  it('shifts times by seconds and writes them in the format and offset asked for', () => {
    const rng = createRng('s', 'v');
    const at = { iso: '2025-03-10T07:42:16Z', rfc: 'Mon, 10 Mar 2025 07:42:16 +0000', unix: '1741592536' };
    for (const base of Object.values(at)) {
      expect(generate('sum', { terms: ['t', 3], format: 'iso' }, rng, { t: base })).toBe('2025-03-10T07:42:19Z');
      expect(generate('sum', { terms: ['t', -7], format: 'rfc2822', utcOffset: '+02:00' }, rng, { t: base })).toBe('Mon, 10 Mar 2025 09:42:09 +0200');
    }
    expect(generate('sum', { terms: ['t', 86400], format: 'date' }, rng, { t: at.iso })).toBe('2025-03-11');
    expect(generate('sum', { terms: ['t', -3600], format: 'iso', utcOffset: '-05:30' }, rng, { t: at.iso })).toBe('2025-03-10T01:12:16-05:30');
    expect(generate('sum', { terms: ['t'], format: 'unix' }, rng, { t: at.rfc })).toBe(at.unix);
    expect(generate('sum', { terms: ['t', 'back'], format: 'iso' }, rng, { t: at.iso, back: '-16' })).toBe('2025-03-10T07:42:00Z');
    expect(() => generate('sum', { terms: ['t', -2e9], format: 'iso' }, rng, { t: at.iso })).toThrow(/outside 1970 to 9999/);
  });

  it('reports bad parameters', () => {
    expect(validateVariable({ generator: 'sum' })).toEqual(['params.terms: required for sum']);
    expect(validateVariable({ generator: 'sum', params: { terms: [] } })).toEqual(['params.terms: must be a list of 1 to 50 numbers and variable names (a name may start with "-")']);
    expect(validateVariable({ generator: 'sum', params: { terms: ['a b', 0.001], decimals: 2 } })).toEqual([
      'params.terms[0]: "a b" is neither a number nor a variable name',
      'params.terms[1]: must be a number with at most 2 decimals',
    ]);
    expect(validateVariable({ generator: 'sum', params: { terms: ['t', 1.5], format: 'iso', decimals: 0 } })).toEqual([
      'params.decimals: only for format "number" (times are whole seconds)',
      'params.terms[1]: must be a whole number of seconds',
    ]);
    expect(validateVariable({ generator: 'sum', params: { terms: ['t'], utcOffset: '+02:00' } })).toEqual(['params.utcOffset: only for format "iso" or "rfc2822"']);
    expect(validateVariable({ generator: 'sum', params: { terms: ['t'], format: 'iso', utcOffset: '2h' } })).toEqual(['params.utcOffset: must be an offset such as "+02:00" or "-05:30"']);
  });
});

describe('validateVariable', () => {
  it('accepts good definitions', () => {
    for (const g of generators) expect(validateVariable({ generator: g, params: PARAMS[g] }), g).toEqual([]);
    expect(validateVariable({ generator: 'bitcoin_address', params: { type: 'p2sh' } })).toEqual([]);
    expect(validateVariable({ generator: 'timestamp', params: { start: '2024-03-01', end: '2024-03-02T00:00:00+01:00', format: 'unix' } })).toEqual([]);
  });

  it('names the parameter in each problem', () => {
    expect(validateVariable({ generator: 'amount', params: { min: 'ten', max: 20 } })).toEqual(['params.min: must be a number']);
    expect(validateVariable({ generator: 'amount', params: { max: 20 } })).toEqual(['params.min: required for amount']);
    expect(validateVariable({ generator: 'amount', params: { min: 5, max: 1 } })).toEqual(['params.max: must not be less than params.min']);
    expect(validateVariable({ generator: 'amount', params: { min: 1, max: 2, decimals: 2.5 } })).toEqual(['params.decimals: must be a whole number from 0 to 18']);
    expect(validateVariable({ generator: 'amount', params: { min: 0.001, max: 0.002, decimals: 2 } })).toEqual(['params.decimals: no amount with 2 decimals lies between params.min and params.max']);
    expect(validateVariable({ generator: 'integer', params: { min: 1.5, max: 3 } })).toEqual(['params.min: must be a whole number']);
    expect(validateVariable({ generator: 'choice' })).toEqual(['params.values: required for choice']);
    expect(validateVariable({ generator: 'choice', params: { values: [] } })).toEqual(['params.values: must be a non-empty list of strings or numbers']);
    expect(validateVariable({ generator: 'choice', params: { values: ['a', ''] } })).toEqual(['params.values[1]: must be a non-empty string or a number']);
    expect(validateVariable({ generator: 'bitcoin_address', params: { type: 'p2tr' } })).toEqual(['params.type: must be one of "p2wpkh", "p2pkh", "p2sh"']);
    expect(validateVariable({ generator: 'ipv4', params: { range: 'lan' } })).toEqual(['params.range: must be "public" or "private"']);
    expect(validateVariable({ generator: 'iban', params: { country: 'XX' } })[0]).toMatch(/^params\.country: must be one of AD, AE, /);
    expect(validateVariable({ generator: 'phone', params: { country: 'Atlantis' } })[0]).toMatch(/^params\.country: must be a calling code such as "\+33" or one of /);
    expect(validateVariable({ generator: 'email', params: { domain: 'not a domain' } })).toEqual(['params.domain: must be a domain name such as "example-corp.com"']);
    expect(validateVariable({ generator: 'domain', params: { tld: 'c_m' } })).toEqual(['params.tld: must be a top-level domain such as "com" or "co.uk"']);
    expect(validateVariable({ generator: 'hex', params: { length: 0 } })).toEqual(['params.length: must be a whole number from 1 to 1024']);
  });

  it('checks timestamps', () => {
    const iso = 'must be an ISO 8601 date-time with a time zone, such as "2024-03-01T08:00:00Z", or a date such as "2024-03-01"';
    expect(validateVariable({ generator: 'timestamp', params: { start: '2024-03-01T08:00:00', end: '2024-02-30' } })).toEqual([`params.start: ${iso}`, `params.end: ${iso}`]);
    expect(validateVariable({ generator: 'timestamp', params: { start: '2024-03-02', end: '2024-03-01' } })).toEqual(['params.end: must not be before params.start']);
    expect(validateVariable({ generator: 'timestamp', params: { start: '1969-12-31', end: '2024-03-01' } })).toEqual(['params.start: must lie between 1970 and 9999']);
    expect(validateVariable({ generator: 'timestamp', params: { start: '2024-03-01', end: '2024-03-02', format: 'excel' } })).toEqual([
      'params.format: must be one of "iso", "rfc2822", "unix", "date"',
    ]);
    expect(validateVariable({ generator: 'timestamp', params: { start: 1700000000, end: '2024-03-01' } })).toEqual(['params.start: must be a string']);
  });

  it('reports unknown parameters and generators, and bad shapes', () => {
    expect(validateVariable({ generator: 'amount', params: { min: 1, mx: 2 } })).toEqual(['params.max: required for amount', 'params.mx: unknown parameter for amount (it takes min, max, decimals)']);
    expect(validateVariable({ generator: 'md5', params: { length: 3 } })).toEqual(['params.length: unknown parameter for md5 (it takes none)']);
    expect(validateVariable({ generator: 'wallet' })[0]).toMatch(/^generator: unknown generator "wallet" \(known: person_name, /);
    expect(validateVariable({})).toEqual(['generator: required']);
    expect(validateVariable({ generator: 'ipv4', params: ['public'] })).toEqual(['params: must be an object']);
    expect(validateVariable('ipv4')).toEqual(['must be an object with a generator']);
    expect(validateVariable({ generator: 'choice', params: { values: ['a'], constructor: 1 } })).toEqual(['params.constructor: unknown parameter for choice (it takes values)']);
  });

  it('makes generate() throw the same problems', () => {
    const rng = createRng('s', 'v');
    expect(() => generate('amount', { min: 'ten', max: 20 }, rng)).toThrow(VariableError);
    try {
      generate('amount', { min: 'ten', max: 20 }, rng);
    } catch (e) {
      expect((e as VariableError).problems).toEqual(['params.min: must be a number']);
    }
    expect(() => generate('nope' as Generator, undefined, rng)).toThrow(/unknown generator/);
  });
});
