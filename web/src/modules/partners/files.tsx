/**
 * Uploads and downloads of partnership files (agreement documents, report
 * attachments): a file button with a progress bar, checked in the browser for
 * size and kind before sending (the server recognises the type from the
 * content and decides), and plain download links (the server always answers
 * with an attachment).
 */
import { useEffect, useRef, useState } from 'react';
import { Anchor, Button, FileButton, Group, Progress, Stack, Text } from '@mantine/core';
import { IconDownload, IconUpload } from '@tabler/icons-react';
import { FormattedNumber } from 'react-intl';
import { documentMaxBytes, type DocumentMediaType } from '@modules/partners/schemas.ts';
import { useErrorText } from '../../core/errors.ts';
import { useSession } from '../../core/session.ts';
import { FormError } from '../../components/FormError.tsx';
import { useLocale } from '../../i18n/I18nProvider.tsx';
import { useT } from '../../i18n/useT.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { uploadPackage, type UploadProgress } from '../scenarios/api.ts';
import { useFormatBytes } from '../scenarios/format.ts';
import { acceptedFiles, fileProblem } from './file-checks.ts';

export const mediaTypeLabel: Record<DocumentMediaType, MessageId> = {
  'application/pdf': 'partners.file.type.pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'partners.file.type.docx',
  'application/vnd.oasis.opendocument.text': 'partners.file.type.odt',
  'image/png': 'partners.file.type.image',
  'image/jpeg': 'partners.file.type.image',
  'image/gif': 'partners.file.type.image',
  'image/webp': 'partners.file.type.image',
};

type UploadProps<T> = {
  /** Where the file is posted (multipart, field "file"). */
  path: string;
  label: string;
  onUploaded: (result: T) => void;
  disabled?: boolean;
};

/** "Upload a file" with a progress bar and the refusal, if any, in words. */
export function UploadButton<T>({ path, label, onUploaded, disabled }: UploadProps<T>) {
  const t = useT();
  const session = useSession();
  const { locale } = useLocale();
  const errorText = useErrorText();
  const formatBytes = useFormatBytes();
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const send = async (file: File | null) => {
    if (!file) return;
    setError(null);
    const problem = fileProblem(file, t, formatBytes);
    if (problem) {
      setError(problem);
      return;
    }
    abort.current = new AbortController();
    setBusy(true);
    setProgress({ loaded: 0, total: file.size });
    try {
      const result = await uploadPackage<T>(path, file, { csrfToken: session?.csrfToken ?? null, locale, onProgress: setProgress, signal: abort.current.signal });
      onUploaded(result);
    } catch (e) {
      if (!(e instanceof DOMException && e.name === 'AbortError')) setError(errorText(e, { validation_failed: 'partners.file.refused' }));
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  const percent = progress && progress.total > 0 ? Math.min(100, Math.round((progress.loaded / progress.total) * 100)) : 0;
  return (
    <Stack gap={6}>
      <Group gap="sm">
        <FileButton onChange={(f) => void send(f)} accept={acceptedFiles} disabled={disabled || busy}>
          {(props) => (
            <Button {...props} variant="light" leftSection={<IconUpload size={16} aria-hidden />} loading={busy}>
              {label}
            </Button>
          )}
        </FileButton>
        <Text size="xs" c="dimmed">
          {t('partners.file.hint', { max: formatBytes(documentMaxBytes) })}
        </Text>
      </Group>
      {busy ? (
        <Stack gap={2} role="status" aria-live="polite">
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              {percent >= 100 ? t('partners.file.checking') : t('partners.file.uploading')}
            </Text>
            <Text size="xs" c="dimmed">
              <FormattedNumber value={percent / 100} style="percent" />
            </Text>
          </Group>
          <Progress value={percent} animated={percent >= 100} striped={percent >= 100} size="sm" aria-label={t('partners.file.uploading')} />
        </Stack>
      ) : null}
      <FormError>{error}</FormError>
    </Stack>
  );
}

/** A download link with the file's name, kind and size. */
export function FileLink({ href, fileName, mediaType, size }: { href: string; fileName: string; mediaType: DocumentMediaType; size: number }) {
  const t = useT();
  const formatBytes = useFormatBytes();
  return (
    <Group gap={6} wrap="nowrap" miw={0}>
      <IconDownload size={16} aria-hidden style={{ flexShrink: 0 }} />
      <Stack gap={0} miw={0}>
        <Anchor href={href} download={fileName} size="sm" fw={600} truncate>
          <bdi>{fileName}</bdi>
        </Anchor>
        <Text size="xs" c="dimmed">
          {t(mediaTypeLabel[mediaType])} · {formatBytes(size)}
        </Text>
      </Stack>
    </Group>
  );
}
