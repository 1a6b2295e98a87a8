import { lazy, Suspense, useEffect, useMemo } from 'react';
import { Alert, Card, Group, SegmentedControl, Select, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconCurrencyBitcoin, IconFingerprint, IconMail, IconTable, type Icon } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { useT } from '../../i18n/useT.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useFormatBytes } from '../scenarios/format.ts';
import { useLocalized } from '../scenarios/localized.tsx';
import { contentUrl, fetchRange, useLocker, type EvidenceItem, type TeamView } from '../play/api.ts';
import { AddSelectionButton, CaseFileProvider, SelectionArea } from './AddToCaseFile.tsx';
import { isTool, toolFor, tools, type Tool } from './tools.ts';

// The tools load when first opened: the play page stays light on classroom connections.
const EmailTool = lazy(() => import('./EmailTool.tsx').then((m) => ({ default: m.EmailTool })));
const LogTool = lazy(() => import('./LogTool.tsx').then((m) => ({ default: m.LogTool })));
const ChainTool = lazy(() => import('./ChainTool.tsx').then((m) => ({ default: m.ChainTool })));
const HashTool = lazy(() => import('./HashTool.tsx').then((m) => ({ default: m.HashTool })));

/** How much of an exhibit the workbench reads (a 100,000-line log is 10 to 20 MB). */
export const workbenchBytes = 64 * 1024 * 1024;

const toolLabel: Record<Tool, { label: MessageId; icon: Icon }> = {
  email: { label: 'workbench.tool.email', icon: IconMail },
  logs: { label: 'workbench.tool.logs', icon: IconTable },
  chain: { label: 'workbench.tool.chain', icon: IconCurrencyBitcoin },
  hash: { label: 'workbench.tool.hash', icon: IconFingerprint },
};

export type Exhibit = { item: EvidenceItem; bytes: Uint8Array; partial: boolean; total: number };

/** The exhibit's bytes (read once, kept while the page is open). */
export function useExhibitBytes(exerciseId: string, item: EvidenceItem | undefined) {
  return useQuery({
    queryKey: ['evidence-content', exerciseId, item?.key, item?.sha256, 'workbench'],
    queryFn: ({ signal }) => fetchRange(contentUrl(exerciseId, item?.key ?? '', true), 0, workbenchBytes, signal),
    enabled: item !== undefined,
    staleTime: Infinity,
    gcTime: 5 * 60_000,
    retry: 1,
  });
}

/** The analysis workbench: e-mail, logs and tables, blockchain flows and hashes, all computed in the browser. */
export function WorkbenchPanel({ exerciseId, accepting }: { exerciseId: string; view: TeamView; accepting: boolean }) {
  const t = useT();
  const localized = useLocalized();
  const formatBytes = useFormatBytes();
  const locker = useLocker(exerciseId, false);
  const [params, setParams] = useSearchParams();
  const items = useMemo(() => [...(locker.data ?? [])].sort((a, b) => (a.releasedAt ?? '').localeCompare(b.releasedAt ?? '')), [locker.data]);
  const exhibitKey = params.get('exhibit');
  const item = items.find((i) => i.key === exhibitKey);
  const content = useExhibitBytes(exerciseId, item);
  const head = useMemo(() => (content.data ? new TextDecoder('utf-8').decode(content.data.bytes.subarray(0, 8192)) : null), [content.data]);
  const suggested = item ? toolFor(item, head) : 'hash';
  const toolParam = params.get('tool');
  const tool: Tool = isTool(toolParam) ? toolParam : suggested;

  const set = (changes: Record<string, string | null>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v === null) next.delete(k);
          else next.set(k, v);
        }
        return next;
      },
      { replace: true },
    );

  // The first visit opens the first exhibit, so there is something to see.
  useEffect(() => {
    const first = items[0];
    if (!exhibitKey && first && !toolParam)
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.set('exhibit', first.key);
          return next;
        },
        { replace: true },
      );
  }, [exhibitKey, items, toolParam, setParams]);

  if (locker.isPending) return <LoadingState variant="table" />;
  if (locker.error) return <ErrorState error={locker.error} onRetry={() => void locker.refetch()} />;

  const exhibit: Exhibit | null = item && content.data ? { item, bytes: content.data.bytes, partial: content.data.partial, total: content.data.total } : null;

  return (
    <CaseFileProvider exerciseId={exerciseId} accepting={accepting}>
      <Stack gap="md">
        <Card p="md">
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('workbench.intro')}
            </Text>
            <Group gap="md" align="flex-end" wrap="wrap">
              <Select
                label={t('workbench.exhibit')}
                placeholder={items.length === 0 ? t('workbench.noExhibits') : t('workbench.chooseExhibit')}
                data={items.map((i) => ({ value: i.key, label: `${localized(i.title, i.fileName)} · ${i.fileName}` }))}
                value={item?.key ?? null}
                onChange={(v) => set({ exhibit: v, tool: null })}
                searchable
                clearable
                disabled={items.length === 0}
                style={{ flex: '1 1 320px', minWidth: 0 }}
                description={item ? t('workbench.exhibitSize', { size: formatBytes(item.size) }) : undefined}
              />
              <Stack gap={4} style={{ flex: 'none' }}>
                <Text size="sm" fw={500} id="workbench-tool">
                  {t('workbench.tool.choose')}
                </Text>
                <SegmentedControl
                  aria-labelledby="workbench-tool"
                  value={tool}
                  onChange={(v) => set({ tool: v === suggested ? null : v })}
                  data={tools.map((v) => {
                    const ToolIcon = toolLabel[v].icon;
                    return {
                      value: v,
                      label: (
                        <Group gap={6} wrap="nowrap">
                          <ToolIcon size={16} aria-hidden />
                          <span>{t(toolLabel[v].label)}</span>
                        </Group>
                      ),
                    };
                  })}
                />
              </Stack>
            </Group>
            <Group justify="space-between" gap="sm" align="flex-start">
              <Text size="xs" c="dimmed" style={{ flex: '1 1 260px' }}>
                {accepting ? t('workbench.add.intro') : t('workbench.add.closed')}
              </Text>
              <AddSelectionButton exhibit={tool === 'hash' ? null : (item?.key ?? null)} />
            </Group>
          </Stack>
        </Card>
        {exhibit?.partial && tool !== 'hash' ? (
          <Alert color="yellow" variant="light">
            {t('workbench.partial', { shown: formatBytes(exhibit.bytes.length), total: formatBytes(exhibit.total) })}
          </Alert>
        ) : null}
        <SelectionArea>
          <Suspense fallback={<LoadingState variant="table" />}>
            {tool === 'hash' ? (
              <HashTool exhibit={exhibit} />
            ) : !item ? (
              <Card p="lg">
                <Text c="dimmed">{items.length === 0 ? t('workbench.noExhibits') : t('workbench.chooseExhibit')}</Text>
              </Card>
            ) : content.isPending ? (
              <LoadingState variant="table" />
            ) : content.error ? (
              <ErrorState error={content.error} onRetry={() => void content.refetch()} />
            ) : exhibit ? (
              tool === 'email' ? (
                <EmailTool key={item.key} exhibit={exhibit} />
              ) : tool === 'chain' ? (
                <ChainTool key={item.key} exhibit={exhibit} />
              ) : (
                <LogTool key={item.key} exhibit={exhibit} />
              )
            ) : null}
          </Suspense>
        </SelectionArea>
      </Stack>
    </CaseFileProvider>
  );
}
