import { describe, expect, it } from 'vitest';
import { asciiSlug, downloadDisposition, unicodeSlug } from './file-names.ts';

const file = { prefix: 'report', fallback: '01a2-team-id', suffix: '2026-11-23', extension: 'pdf' };
/** The two names of a Content-Disposition: filename= and the decoded filename*=. */
function names(disposition: string) {
  const match = /^attachment; filename="([^"]*)"; filename\*=UTF-8''(\S+)$/.exec(disposition);
  if (!match) throw new Error(`Unexpected Content-Disposition: ${disposition}`);
  return { plain: match[1], utf8: decodeURIComponent(match[2]!) };
}

describe('download file names', () => {
  it('writes a name as lower-case ASCII letters, digits and hyphens, transliterating accents', () => {
    expect(asciiSlug('Team Alpha')).toBe('team-alpha');
    expect(asciiSlug('Équipe Rouge & Cie.')).toBe('equipe-rouge-cie');
    expect(asciiSlug('  Größe Łódź Ærø Straße  ')).toBe('grosse-lodz-aero-strasse');
    expect(asciiSlug('Policía N.º 7 — ñandú')).toBe('policia-n-o-7-nandu');
    expect(asciiSlug('=cmd|"/c calc",x')).toBe('cmd-c-calc-x');
    expect(asciiSlug('الفريق الأحمر')).toBe('');
    expect(asciiSlug('x'.repeat(100))).toHaveLength(60);
  });

  it('keeps the letters of any script in the UTF-8 name', () => {
    expect(unicodeSlug('الفريق الأحمر')).toBe('الفريق-الأحمر');
    expect(unicodeSlug('Équipe  Rouge / 2')).toBe('équipe-rouge-2');
    expect(unicodeSlug('"../../etc/passwd"')).toBe('etc-passwd');
  });

  it('gives the ASCII slug in filename= and the name in its own script in filename*=', () => {
    const latin = downloadDisposition({ ...file, name: 'Équipe Rouge' });
    expect(latin).toBe(`attachment; filename="report-equipe-rouge-2026-11-23.pdf"; filename*=UTF-8''report-%C3%A9quipe-rouge-2026-11-23.pdf`);
    expect(names(latin)).toEqual({ plain: 'report-equipe-rouge-2026-11-23.pdf', utf8: 'report-équipe-rouge-2026-11-23.pdf' });
  });

  it('names the file after the id when the name has no Latin letter', () => {
    expect(names(downloadDisposition({ ...file, name: 'الفريق الأحمر' }))).toEqual({ plain: 'report-01a2-team-id-2026-11-23.pdf', utf8: 'report-الفريق-الأحمر-2026-11-23.pdf' });
    expect(names(downloadDisposition({ ...file, name: '42' })).plain).toBe('report-01a2-team-id-2026-11-23.pdf');
    expect(names(downloadDisposition({ ...file, name: '!!!' }))).toEqual({ plain: 'report-01a2-team-id-2026-11-23.pdf', utf8: 'report-01a2-team-id-2026-11-23.pdf' });
  });
});
