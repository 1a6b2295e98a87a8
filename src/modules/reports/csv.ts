// CSV for spreadsheets (RFC 4180, CRLF, UTF-8 with a byte order mark so that
// Excel reads Arabic and accented names). A text cell that a spreadsheet would
// take for a formula (= + - @, tab, carriage return first) is prefixed with an
// apostrophe, so that a team name or a reason cannot run in the reader's sheet.

export type Cell = string | number | boolean | null | undefined;

const formulaStart = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = formulaStart.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  return '\uFEFF' + [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
