import { documentMaxBytes } from '@modules/partners/schemas.ts';
import type { Translate } from '../../i18n/useT.ts';

// Checks of a file picked for upload, before any byte is sent: what is plainly
// wrong (empty, too large, not a document or image by its name) is said at
// once. The server decides from the content in any case.

/** What the file picker offers. */
export const acceptedFiles =
  '.pdf,.docx,.odt,.png,.jpg,.jpeg,.gif,.webp,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.oasis.opendocument.text,image/png,image/jpeg,image/gif,image/webp';
const acceptedExtension = /\.(pdf|docx|odt|png|jpe?g|gif|webp)$/i;

/** Why a picked file cannot be sent, or null. */
export function fileProblem(file: Pick<File, 'name' | 'size'>, t: Translate, formatBytes: (n: number) => string): string | null {
  if (file.size === 0) return t('partners.file.empty');
  if (file.size > documentMaxBytes) return t('partners.file.tooLarge', { max: formatBytes(documentMaxBytes) });
  if (!acceptedExtension.test(file.name)) return t('partners.file.wrongKind');
  return null;
}
