import { useEffect, useRef, useState } from 'react';
import { ActionIcon, Button, Group, Paper, Skeleton, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { IconArrowRight, IconChevronLeft, IconChevronRight } from '@tabler/icons-react';
import { ErrorState } from '../../../components/ErrorState.tsx';
import { useT } from '../../../i18n/useT.ts';
import { useFormatBytes } from '../../scenarios/format.ts';
import { fetchRange } from '../api.ts';
import { hexRow, hexRowCount, parseOffset } from './bytes.ts';
import { VirtualLines, type VirtualLinesHandle } from './VirtualLines.tsx';

/** Bytes read per page of the hex dump. */
export const hexPageBytes = 64 * 1024;
const lineHeight = 20;

/** A hex dump (offset | hex | ASCII) of a file, 64 KB at a time, read with byte ranges. */
export function HexViewer({ url, fileName, size }: { url: string; fileName: string; size: number }) {
  const t = useT();
  const formatBytes = useFormatBytes();
  const [page, setPage] = useState(0);
  const [goto, setGoto] = useState('');
  const [gotoError, setGotoError] = useState<string | null>(null);
  const [target, setTarget] = useState<number | null>(null);
  const list = useRef<VirtualLinesHandle>(null);
  const pages = Math.max(1, Math.ceil(size / hexPageBytes));
  const content = useQuery({
    queryKey: ['evidence-content', url, 'hex', page],
    queryFn: ({ signal }) => fetchRange(url, page * hexPageBytes, hexPageBytes, signal),
    staleTime: Infinity,
    placeholderData: keepPreviousData,
    retry: 1,
  });

  useEffect(() => {
    if (target === null || !content.data || content.data.start !== page * hexPageBytes) return;
    list.current?.scrollToLine(Math.floor((target - content.data.start) / 16));
    setTarget(null);
  }, [target, content.data, page]);

  if (content.isPending) {
    return (
      <Stack gap={6} p="md" aria-busy="true">
        {Array.from({ length: 12 }, (_, i) => (
          <Skeleton key={i} h={12} />
        ))}
      </Stack>
    );
  }
  if (content.error) return <ErrorState error={content.error} onRetry={() => void content.refetch()} />;
  const { bytes, start, total } = content.data;
  const rows = hexRowCount(bytes.length);

  return (
    <Stack gap="xs">
      <Group justify="space-between" gap="xs">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const offset = parseOffset(goto);
            if (offset === null || offset >= Math.max(total, 1)) {
              setGotoError(t('play.viewer.badOffset'));
              return;
            }
            setGotoError(null);
            setPage(Math.floor(offset / hexPageBytes));
            setTarget(offset);
          }}
        >
          <Group gap={6} align="flex-start">
            <TextInput
              aria-label={t('play.viewer.gotoOffset')}
              placeholder={t('play.viewer.gotoPlaceholder')}
              value={goto}
              onChange={(e) => setGoto(e.currentTarget.value)}
              error={gotoError}
              dir="ltr"
              w={190}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            <Tooltip label={t('play.viewer.gotoOffset')}>
              <ActionIcon type="submit" variant="default" size="lg" aria-label={t('play.viewer.gotoOffset')}>
                <IconArrowRight size={18} className="mirror-rtl" aria-hidden />
              </ActionIcon>
            </Tooltip>
          </Group>
        </form>
        {pages > 1 ? (
          <Group gap={6}>
            <Button variant="default" size="xs" leftSection={<IconChevronLeft size={14} className="mirror-rtl" aria-hidden />} disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
              {t('play.viewer.previousBlock')}
            </Button>
            <Button variant="default" size="xs" rightSection={<IconChevronRight size={14} className="mirror-rtl" aria-hidden />} disabled={page >= pages - 1} onClick={() => setPage((p) => p + 1)}>
              {t('play.viewer.nextBlock')}
            </Button>
          </Group>
        ) : null}
      </Group>
      <Paper withBorder radius="sm" bg="var(--mantine-color-gray-0)" style={{ overflow: 'hidden', opacity: content.isPlaceholderData ? 0.6 : 1 }}>
        <VirtualLines
          ref={list}
          count={rows}
          lineHeight={lineHeight}
          height="min(65vh, 640px)"
          label={t('play.viewer.hexOf', { file: fileName })}
          header={
            <div style={{ position: 'sticky', top: 0, zIndex: 1, display: 'flex', gap: '2ch', paddingInline: '1ch', background: 'var(--mantine-color-gray-2)', color: 'var(--mantine-color-gray-7)', borderBottom: '1px solid var(--mantine-color-gray-3)', whiteSpace: 'pre', minWidth: 'max-content' }} aria-hidden>
              <span style={{ width: '8ch' }}>{t('play.viewer.offset')}</span>
              <span>{'00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f'}</span>
              <span>ASCII</span>
            </div>
          }
          renderLine={(i) => {
            const row = hexRow(bytes, i, start);
            return (
              <div key={i} style={{ display: 'flex', gap: '2ch', paddingInline: '1ch', whiteSpace: 'pre', height: lineHeight }}>
                <span style={{ width: '8ch', color: 'var(--mantine-color-navy-7)', userSelect: 'none' }}>{row.offset}</span>
                <span>{row.hex}</span>
                <span style={{ color: 'var(--mantine-color-gray-7)', borderInlineStart: '1px solid var(--mantine-color-gray-3)', paddingInlineStart: '1ch' }}>{row.ascii}</span>
              </div>
            );
          }}
        />
      </Paper>
      <Text size="xs" c="dimmed">
        {t('play.viewer.hexStats', {
          from: `0x${start.toString(16).padStart(8, '0')}`,
          to: `0x${Math.max(start, start + bytes.length - 1).toString(16).padStart(8, '0')}`,
          size: formatBytes(total),
        })}
      </Text>
    </Stack>
  );
}
