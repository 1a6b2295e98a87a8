import { describe, expect, it } from 'vitest';
import { documentMaxBytes } from '@modules/partners/schemas.ts';
import type { Translate } from '../../i18n/useT.ts';
import { fileProblem } from './file-checks.ts';

const t = ((id: string, values?: Record<string, unknown>) => (values ? `${id} ${JSON.stringify(values)}` : id)) as Translate;
const bytes = (n: number) => `${n} B`;

describe('fileProblem', () => {
  it('lets documents and images through', () => {
    for (const name of ['Agreement.PDF', 'annex.docx', 'annex.odt', 'scan.png', 'photo.JPG', 'photo.jpeg', 'chart.gif', 'page.webp']) {
      expect(fileProblem({ name, size: 1000 }, t, bytes), name).toBeNull();
    }
  });

  it('names what is plainly wrong before sending', () => {
    expect(fileProblem({ name: 'a.pdf', size: 0 }, t, bytes)).toBe('partners.file.empty');
    expect(fileProblem({ name: 'a.pdf', size: documentMaxBytes + 1 }, t, bytes)).toBe(`partners.file.tooLarge {"max":"${documentMaxBytes} B"}`);
    expect(fileProblem({ name: 'logo.svg', size: 10 }, t, bytes)).toBe('partners.file.wrongKind');
    expect(fileProblem({ name: 'tool.exe', size: 10 }, t, bytes)).toBe('partners.file.wrongKind');
    expect(fileProblem({ name: 'agreement.pdf.html', size: 10 }, t, bytes)).toBe('partners.file.wrongKind');
  });
});
