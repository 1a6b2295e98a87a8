import { useState } from 'react';
import { ActionIcon, Anchor, Badge, Box, Button, Card, Code, Collapse, CopyButton, Group, Paper, SegmentedControl, Stack, Text, ThemeIcon, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { IconArrowLeft, IconBinary, IconCheck, IconChevronRight, IconCopy, IconDownload, IconExternalLink, IconFileText, IconFiles, IconPhoto, IconFileTypePdf, IconShieldCheck, type Icon } from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { DateTime, RelativeTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useFormatBytes } from '../scenarios/format.ts';
import { kindIconOf, kindLabelOf } from '../scenarios/labels.ts';
import { Localized, useLocalized } from '../scenarios/localized.tsx';
import { RichText } from '../scenarios/RichText.tsx';
import { contentUrl, type EvidenceItem } from './api.ts';
import { viewersFor, type ViewerKind } from './viewers/bytes.ts';
import { HexViewer } from './viewers/HexViewer.tsx';
import { TextViewer } from './viewers/TextViewer.tsx';

const viewerLabel: Record<ViewerKind, { label: MessageId; icon: Icon }> = {
  text: { label: 'play.viewer.text', icon: IconFileText },
  hex: { label: 'play.viewer.hex', icon: IconBinary },
  image: { label: 'play.viewer.image', icon: IconPhoto },
  pdf: { label: 'play.viewer.pdf', icon: IconFileTypePdf },
};

type Locker = { data: EvidenceItem[] | undefined; isPending: boolean; error: unknown; refetch: () => unknown };

/** The team's evidence locker: the list, or one item with its viewer (`?item=<key>`). */
export function EvidencePanel({ exerciseId, locker }: { exerciseId: string; locker: Locker }) {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const open = params.get('item');
  const setOpen = (key: string | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (key) next.set('item', key);
      else next.delete('item');
      return next;
    });

  if (locker.isPending) return <LoadingState variant="table" />;
  if (locker.error) return <ErrorState error={locker.error} onRetry={() => void locker.refetch()} />;
  const items = [...(locker.data ?? [])].sort((a, b) => (a.releasedAt ?? '').localeCompare(b.releasedAt ?? ''));
  const item = open ? items.find((i) => i.key === open) : undefined;
  if (item) return <EvidenceView exerciseId={exerciseId} item={item} onBack={() => setOpen(null)} />;

  if (items.length === 0) {
    return (
      <Card>
        <EmptyState icon={<IconFiles aria-hidden />} title={t('play.evidence.emptyTitle')} description={t('play.evidence.emptyDescription')} />
      </Card>
    );
  }
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        {t('play.evidence.intro')}
      </Text>
      {items.map((i) => (
        <EvidenceRow key={i.key} item={i} onOpen={() => setOpen(i.key)} />
      ))}
    </Stack>
  );
}

function EvidenceRow({ item, onOpen }: { item: EvidenceItem; onOpen: () => void }) {
  const t = useT();
  const formatBytes = useFormatBytes();
  const localized = useLocalized();
  const KindIcon = kindIconOf(item.kind);
  const hashLabel = t('common.action.copyLabel', { what: t('play.evidence.sha256Of', { file: item.fileName }) });
  return (
    <Card p={0} className="evidence-row">
      <Group wrap="nowrap" gap={0} align="stretch">
        <UnstyledButton onClick={onOpen} p="md" style={{ flex: 1, minWidth: 0, borderRadius: 'var(--mantine-radius-md)' }} aria-label={t('play.evidence.openNamed', { title: localized(item.title, item.fileName) })}>
          <Group wrap="nowrap" gap="md" align="center">
            <ThemeIcon size={44} radius="md" variant="light" aria-hidden>
              <KindIcon size={24} stroke={1.6} />
            </ThemeIcon>
            <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
              <Group gap="xs" wrap="nowrap">
                <Text fw={600} size="sm" truncate>
                  <Localized text={item.title} fallback={item.fileName} />
                </Text>
                <Badge size="xs" color="gray" variant="light" style={{ flex: 'none' }}>
                  {t(kindLabelOf(item.kind))}
                </Badge>
              </Group>
              <Group gap="xs" wrap="nowrap">
                <Ltr mono fz="xs" c="dimmed" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                  {item.fileName}
                </Ltr>
                <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
                  · {formatBytes(item.size)}
                </Text>
              </Group>
              <Group gap={6} wrap="nowrap">
                <Text size="xs" c="dimmed" style={{ flex: 'none' }}>
                  SHA-256
                </Text>
                <Ltr mono fz="xs" c="gray.7" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                  {item.sha256}
                </Ltr>
              </Group>
            </Stack>
            <Stack gap={2} align="flex-end" style={{ flex: 'none' }} visibleFrom="sm">
              <Text size="xs" c="dimmed">
                {t('play.evidence.released')}
              </Text>
              <Text size="sm">
                <RelativeTime value={item.releasedAt} />
              </Text>
            </Stack>
          </Group>
        </UnstyledButton>
        <Group gap={4} px="sm" wrap="nowrap" style={{ flex: 'none' }}>
          <CopyButton value={item.sha256} timeout={2000}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? t('common.action.copied') : t('play.evidence.copyHash')}>
                <ActionIcon variant={copied ? 'filled' : 'subtle'} color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={hashLabel}>
                  {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
          <IconChevronRight size={18} className="mirror-rtl" color="var(--mantine-color-gray-5)" aria-hidden />
        </Group>
      </Group>
    </Card>
  );
}

function EvidenceView({ exerciseId, item, onBack }: { exerciseId: string; item: EvidenceItem; onBack: () => void }) {
  const t = useT();
  const formatBytes = useFormatBytes();
  const views = viewersFor(item);
  const [view, setView] = useState<ViewerKind>(views[0] ?? 'hex');
  const [verifying, setVerifying] = useState(false);
  const inline = contentUrl(exerciseId, item.key, true);
  const download = contentUrl(exerciseId, item.key, false);
  const KindIcon = kindIconOf(item.kind);

  return (
    <Stack gap="md">
      <Card p="lg">
        <Stack gap="sm">
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Group gap="md" wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
              <ThemeIcon size={44} radius="md" variant="light" aria-hidden>
                <KindIcon size={24} stroke={1.6} />
              </ThemeIcon>
              <Stack gap={2} style={{ minWidth: 0 }}>
                <Anchor component="button" type="button" size="xs" onClick={onBack} style={{ alignSelf: 'flex-start' }}>
                  <Group gap={4} wrap="nowrap" component="span">
                    <IconArrowLeft size={13} className="mirror-rtl" aria-hidden />
                    {t('play.evidence.back')}
                  </Group>
                </Anchor>
                <Title order={2} fz="lg">
                  <Localized text={item.title} fallback={item.fileName} />
                </Title>
                <Group gap="xs">
                  <Badge color="gray" variant="light">
                    {t(kindLabelOf(item.kind))}
                  </Badge>
                  <Ltr mono fz="sm">
                    {item.fileName}
                  </Ltr>
                  <Text size="sm" c="dimmed">
                    · {formatBytes(item.size)} · {t('play.evidence.releasedAt')} <DateTime value={item.releasedAt} />
                  </Text>
                </Group>
              </Stack>
            </Group>
            <Button component="a" href={download} download={item.fileName} leftSection={<IconDownload size={18} aria-hidden />} style={{ flex: 'none' }}>
              {t('play.evidence.download')}
            </Button>
          </Group>
          {item.description ? <Localized text={item.description} component="div" c="gray.8" render={(text) => <RichText text={text} />} /> : null}
          <Paper withBorder p="xs" px="sm" bg="var(--mantine-color-gray-0)">
            <Group gap="sm" wrap="nowrap" justify="space-between">
              <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                <Text size="xs" fw={700} c="dimmed" style={{ flex: 'none' }}>
                  SHA-256
                </Text>
                <Ltr mono fz="sm" style={{ wordBreak: 'break-all', userSelect: 'all' }}>
                  {item.sha256}
                </Ltr>
                <CopyButton value={item.sha256} timeout={2000}>
                  {({ copied, copy }) => (
                    <Tooltip label={copied ? t('common.action.copied') : t('common.action.copyLabel', { what: t('play.evidence.sha256Of', { file: item.fileName }) })}>
                      <ActionIcon variant={copied ? 'filled' : 'default'} color={copied ? 'teal' : undefined} onClick={copy} aria-label={t('common.action.copyLabel', { what: t('play.evidence.sha256Of', { file: item.fileName }) })} style={{ flex: 'none' }}>
                        {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
                      </ActionIcon>
                    </Tooltip>
                  )}
                </CopyButton>
              </Group>
              <Button variant="subtle" color="teal" size="compact-sm" leftSection={<IconShieldCheck size={16} aria-hidden />} onClick={() => setVerifying((v) => !v)} aria-expanded={verifying} style={{ flex: 'none' }}>
                {t('play.evidence.verifyTitle')}
              </Button>
            </Group>
            <Collapse expanded={verifying}>
              <Stack gap={6} mt="xs">
                <Text size="xs">{t('play.evidence.verifyText')}</Text>
                <Ltr block>
                  <Code block fz="xs" bg="white">{`sha256sum ${item.fileName}\nGet-FileHash -Algorithm SHA256 ${item.fileName}`}</Code>
                </Ltr>
              </Stack>
            </Collapse>
          </Paper>
        </Stack>
      </Card>

      <Card p="md" id="evidence-viewer">
        <Group justify="space-between" mb="sm">
          <SegmentedControl
            value={view}
            onChange={(v) => setView(v as ViewerKind)}
            data={views.map((v) => {
              const ViewIcon = viewerLabel[v].icon;
              return {
                value: v,
                label: (
                  <Group gap={6} wrap="nowrap">
                    <ViewIcon size={16} aria-hidden />
                    <span>{t(viewerLabel[v].label)}</span>
                  </Group>
                ),
              };
            })}
            aria-label={t('play.viewer.choose')}
          />
          <Group gap="md">
            <Text size="xs" c="dimmed">
              {t('play.evidence.mediaType')} <Ltr mono>{item.mediaType}</Ltr>
            </Text>
            {view === 'pdf' || view === 'image' ? (
              <Anchor href={inline} target="_blank" rel="noopener" size="sm">
                <Group gap={4}>
                  <IconExternalLink size={14} aria-hidden />
                  {t('play.viewer.newTab')}
                </Group>
              </Anchor>
            ) : null}
          </Group>
        </Group>
        {view === 'text' ? <TextViewer url={inline} downloadUrl={download} fileName={item.fileName} /> : null}
        {view === 'hex' ? <HexViewer url={inline} fileName={item.fileName} size={item.size} /> : null}
        {view === 'image' ? <ImageViewer url={inline} alt={item.fileName} /> : null}
        {view === 'pdf' ? (
          <Box component="iframe" src={inline} title={t('play.viewer.pdfOf', { file: item.fileName })} w="100%" h="75vh" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 'var(--mantine-radius-sm)' }} />
        ) : null}
      </Card>
    </Stack>
  );
}

function ImageViewer({ url, alt }: { url: string; alt: string }) {
  const t = useT();
  const [actual, setActual] = useState(false);
  return (
    <Stack gap="xs">
      <Group>
        <SegmentedControl
          size="xs"
          value={actual ? 'actual' : 'fit'}
          onChange={(v) => setActual(v === 'actual')}
          data={[
            { value: 'fit', label: t('play.viewer.fit') },
            { value: 'actual', label: t('play.viewer.actualSize') },
          ]}
        />
      </Group>
      <Box
        style={{
          overflow: 'auto',
          maxHeight: '75vh',
          textAlign: 'center',
          border: '1px solid var(--mantine-color-gray-3)',
          borderRadius: 'var(--mantine-radius-sm)',
          backgroundColor: '#fff',
          backgroundImage: 'linear-gradient(45deg, #eee 25%, transparent 25%), linear-gradient(-45deg, #eee 25%, transparent 25%), linear-gradient(45deg, transparent 75%, #eee 75%), linear-gradient(-45deg, transparent 75%, #eee 75%)',
          backgroundSize: '16px 16px',
          backgroundPosition: '0 0, 0 8px, 8px -8px, -8px 0',
        }}
      >
        <img src={url} alt={alt} style={actual ? { maxWidth: 'none' } : { maxWidth: '100%', maxHeight: '72vh', objectFit: 'contain' }} />
      </Box>
    </Stack>
  );
}
