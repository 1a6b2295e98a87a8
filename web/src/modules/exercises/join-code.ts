/** Invitation codes: `ABCD-EFGH`, from an alphabet without look-alike characters. */

/** What the user typed, as a code: upper case, the dash put in after four characters. */
export function formatJoinCode(input: string): string {
  const raw = input.toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 8);
  return raw.length > 4 ? `${raw.slice(0, 4)}-${raw.slice(4)}` : raw;
}

/** Codes never contain 0, 1, O, I or L: say so when someone types one. */
export const hasLookAlike = (code: string) => /[01OIL]/.test(code.toUpperCase());
