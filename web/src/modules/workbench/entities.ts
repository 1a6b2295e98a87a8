import type { EntityKind } from '@modules/casefile/schemas.ts';
import { bareIp } from './net.ts';

/**
 * What a value picked in a viewer probably is, to prefill the case-file
 * entity (the investigator can change it). Pure, unit-tested.
 */

const base58 = /^[13][1-9A-HJ-NP-Za-km-z]{25,34}$/;
const bech32 = /^(bc1|tb1|ltc1)[02-9ac-hj-np-z]{8,87}$/i;
const ethereum = /^0x[0-9a-fA-F]{40}$/;
const monero = /^[48][1-9A-HJ-NP-Za-km-z]{94}$/;
const tron = /^T[1-9A-HJ-NP-Za-km-z]{33}$/;
const hexHash = /^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|[0-9a-fA-F]{128})$/;
const email = /^[^\s@<>()]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const url = /^(?:[a-z][a-z0-9+.-]*:\/\/|www\.)\S+$/i;
const domain = /^(?=.{4,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{1,62}$/;
const mac = /^[0-9a-fA-F]{2}(?:[:-][0-9a-fA-F]{2}){5}$/;
const phone = /^\+?[\d\s().-]{7,22}$/;

/** IBAN check digits (ISO 13616, mod 97). */
export function isIban(value: string): boolean {
  const s = value.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rest = 0;
  for (const c of moved) {
    const digits = /\d/.test(c) ? c : String(c.charCodeAt(0) - 55);
    for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

/** IMEI (15 digits, Luhn). */
function isImei(value: string): boolean {
  if (!/^\d{15}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    let d = Number(value[i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Removes what surrounds a value when it is picked from a header or a log: `<a@b>`, quotes, brackets, a trailing comma or full stop. */
export function cleanValue(raw: string): string {
  let s = raw.trim().replace(/^mailto:/i, '');
  for (let again = true; again; ) {
    again = false;
    const trimmed = s.replace(/[,;.]+$/, '').trim();
    if (trimmed !== s) {
      s = trimmed;
      again = true;
    }
    for (const [open, close] of [['<', '>'], ['"', '"'], ["'", "'"], ['(', ')']] as const) {
      if (s.length > 1 && s.startsWith(open) && s.endsWith(close)) {
        s = s.slice(1, -1).trim();
        again = true;
      }
    }
  }
  return s;
}

export function guessKind(raw: string): EntityKind {
  const value = cleanValue(raw);
  if (!value) return 'other';
  if (bareIp(value)) return 'ip';
  if (url.test(value)) return 'url';
  if (email.test(value)) return 'email';
  if (bech32.test(value) || base58.test(value) || ethereum.test(value) || monero.test(value) || tron.test(value)) return 'wallet';
  if (hexHash.test(value)) return 'file';
  if (isIban(value)) return 'iban';
  if (mac.test(value) || isImei(value)) return 'device';
  if (phone.test(value) && value.replace(/\D/g, '').length >= 7 && (value.startsWith('+') || value.startsWith('00') || /\s/.test(value))) return 'phone';
  if (domain.test(value) && !/^\d+(\.\d+)+$/.test(value)) return 'domain';
  return 'other';
}
