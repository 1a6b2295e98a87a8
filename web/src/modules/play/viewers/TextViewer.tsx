import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { ActionIcon, Alert, Button, Group, Paper, Skeleton, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconChevronDown, IconChevronUp, IconDownload, IconLetterCase, IconSearch } from '@tabler/icons-react';
import { ErrorState } from '../../../components/ErrorState.tsx';
import { useT } from '../../../i18n/useT.ts';
import { useFormatBytes } from '../../scenarios/format.ts';
import { fetchRange } from '../api.ts';
import { decodeText, findMatches, maxMatches, segmentLine, splitLines, type Match } from './bytes.ts';
import { VirtualLines, type VirtualLinesHandle } from './VirtualLines.tsx';

/** How much of a text file is read and shown; the rest is for download. */
export const textWindowBytes = 2 * 1024 * 1024;
const lineHeight = 20;
/** Characters of one line drawn on screen (search still covers the whole line). */
const maxDrawn = 4000;

/** A text file with line numbers and search (matches highlighted, next and previous). */
export function TextViewer({ url, downloadUrl, fileName }: { url: string; downloadUrl: string; fileName: string }) {
  const t = useT();
  const formatBytes = useFormatBytes();
  const content = useQuery({ queryKey: ['evidence-content', url, 'text'], queryFn: ({ signal }) => fetchRange(url, 0, textWindowBytes, signal), staleTime: Infinity, retry: 1 });
  const lines = useMemo(() => (content.data ? splitLines(decodeText(content.data.bytes, content.data.partial)) : []), [content.data]);

  const [query, setQuery] = useState('');
  const [caseSensitive, setCaseSensitive] = useState(false);
  const deferred = useDeferredValue(query);
  const matches = useMemo(() => findMatches(lines, deferred, caseSensitive), [lines, deferred, caseSensitive]);
  const byLine = useMemo(() => {
    const map = new Map<number, Array<Match & { index: number }>>();
    matches.forEach((m, index) => {
      let list = map.get(m.line);
      if (!list) map.set(m.line, (list = []));
      list.push({ ...m, index });
    });
    return map;
  }, [matches]);
  const [current, setCurrent] = useState(0);
  const list = useRef<VirtualLinesHandle>(null);
  const search = useRef<HTMLInputElement>(null);

  useEffect(() => setCurrent(0), [deferred, caseSensitive]);
  useEffect(() => {
    const m = matches[current];
    if (m) list.current?.scrollToLine(m.line);
  }, [current, matches]);

  const go = (step: number) => {
    if (matches.length === 0) return;
    setCurrent((c) => (c + step + matches.length) % matches.length);
  };

  if (content.isPending) {
    return (
      <Stack gap={6} p="md" aria-busy="true">
        {Array.from({ length: 12 }, (_, i) => (
          <Skeleton key={i} h={12} w={`${90 - ((i * 17) % 40)}%`} />
        ))}
      </Stack>
    );
  }
  if (content.error) return <ErrorState error={content.error} onRetry={() => void content.refetch()} />;
  const { total, partial } = content.data;
  const gutter = String(lines.length).length;

  return (
    <Stack gap="xs" onKeyDown={(e) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        search.current?.focus();
        search.current?.select();
      }
    }}>
      <Group gap="xs" wrap="nowrap">
        <TextInput
          ref={search}
          type="search"
          aria-label={t('play.viewer.search')}
          placeholder={t('play.viewer.searchPlaceholder')}
          leftSection={<IconSearch size={16} aria-hidden />}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              go(e.shiftKey ? -1 : 1);
            }
          }}
          dir="auto"
          style={{ flex: 1 }}
        />
        <Tooltip label={t('play.viewer.matchCase')}>
          <ActionIcon variant={caseSensitive ? 'filled' : 'default'} size="lg" onClick={() => setCaseSensitive((v) => !v)} aria-pressed={caseSensitive} aria-label={t('play.viewer.matchCase')}>
            <IconLetterCase size={18} aria-hidden />
          </ActionIcon>
        </Tooltip>
        <Text size="sm" c="dimmed" miw={110} ta="center" aria-live="polite">
          {deferred
            ? matches.length === 0
              ? t('play.viewer.noMatch')
              : t(matches.length >= maxMatches ? 'play.viewer.matchOfMany' : 'play.viewer.matchOf', { current: current + 1, total: matches.length })
            : null}
        </Text>
        <Tooltip label={t('play.viewer.previous')}>
          <ActionIcon variant="default" size="lg" onClick={() => go(-1)} disabled={matches.length === 0} aria-label={t('play.viewer.previous')}>
            <IconChevronUp size={18} aria-hidden />
          </ActionIcon>
        </Tooltip>
        <Tooltip label={t('play.viewer.next')}>
          <ActionIcon variant="default" size="lg" onClick={() => go(1)} disabled={matches.length === 0} aria-label={t('play.viewer.next')}>
            <IconChevronDown size={18} aria-hidden />
          </ActionIcon>
        </Tooltip>
      </Group>
      {partial ? (
        <Alert color="yellow" variant="light" py="xs">
          <Group justify="space-between" gap="sm">
            <Text size="sm">{t('play.viewer.partial', { shown: formatBytes(content.data.bytes.length), total: formatBytes(total) })}</Text>
            <Button component="a" href={downloadUrl} download={fileName} size="xs" variant="white" leftSection={<IconDownload size={14} aria-hidden />}>
              {t('play.viewer.downloadAll')}
            </Button>
          </Group>
        </Alert>
      ) : null}
      <Paper withBorder radius="sm" bg="var(--mantine-color-gray-0)" style={{ overflow: 'hidden' }}>
        <VirtualLines
          ref={list}
          count={lines.length}
          lineHeight={lineHeight}
          height="min(65vh, 640px)"
          label={t('play.viewer.textOf', { file: fileName })}
          renderLine={(i) => {
            const text = lines[i] ?? '';
            const shown = text.length > maxDrawn ? text.slice(0, maxDrawn) : text;
            const here = (byLine.get(i) ?? []).filter((m) => m.start < shown.length).map((m) => ({ ...m, end: Math.min(m.end, shown.length) }));
            return (
              <div key={i} style={{ display: 'flex', height: lineHeight, whiteSpace: 'pre' }}>
                <span
                  aria-hidden
                  style={{ position: 'sticky', left: 0, flex: 'none', width: `${gutter + 2}ch`, paddingRight: '1ch', textAlign: 'right', color: 'var(--mantine-color-gray-6)', background: 'var(--mantine-color-gray-1)', borderRight: '1px solid var(--mantine-color-gray-3)', userSelect: 'none' }}
                >
                  {i + 1}
                </span>
                <span style={{ paddingInline: '1ch' }}>
                  {segmentLine(shown, here).map((s, j) =>
                    s.match === null ? (
                      s.text
                    ) : (
                      <mark key={j} data-current={s.match === current || undefined} style={{ background: s.match === current ? 'var(--mantine-color-orange-4)' : 'var(--mantine-color-yellow-2)', color: 'inherit', borderRadius: 2, outline: s.match === current ? '1px solid var(--mantine-color-orange-7)' : undefined }}>
                        {s.text}
                      </mark>
                    ),
                  )}
                  {text.length > maxDrawn ? <span style={{ color: 'var(--mantine-color-gray-6)' }}>{` … (+${text.length - maxDrawn})`}</span> : null}
                </span>
              </div>
            );
          }}
        />
      </Paper>
      <Text size="xs" c="dimmed">
        {t('play.viewer.textStats', { lines: lines.length, size: formatBytes(total) })}
      </Text>
    </Stack>
  );
}
