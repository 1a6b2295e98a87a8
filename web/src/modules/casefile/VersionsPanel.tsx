import { useState } from 'react';
import { Badge, Button, Card, Divider, Group, Modal, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconEye, IconHistory } from '@tabler/icons-react';
import { FormattedMessage } from 'react-intl';
import type { CaseFile, CaseFileVersion, VersionSummary } from '@modules/casefile/schemas.ts';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { DataTable } from '../../core/table/DataTable.tsx';
import { useTableState } from '../../core/table/useTableState.ts';
import { useT } from '../../i18n/useT.ts';
import { useLocalized } from '../scenarios/localized.tsx';
import { useVersion, useVersions } from './api.ts';
import { sortTimeline } from './display.ts';
import { entityKindLabel } from './EntitiesPanel.tsx';
import { Hash } from './parts.tsx';
import { useUtcTime } from './TimelinePanel.tsx';

/** The saved versions of the case file, newest first; any one can be opened as it was. */
export function VersionsPanel({ exerciseId, teamId, file }: { exerciseId: string; teamId: string | null; file: CaseFile }) {
  const t = useT();
  const versions = useVersions(exerciseId, teamId);
  const [open, setOpen] = useState<number | null>(null);
  // Every pause in typing saves a version: the list is paged, newest first.
  const table = useTableState({ prefix: 'versions', defaultPageSize: 10 });
  if (versions.isPending) return <LoadingState variant="table" />;
  if (versions.error) return <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />;
  return (
    <Card p="md">
      <Title order={3} fz="md" mb="sm">
        {t('casefile.versions.title')}
      </Title>
      <DataTable<VersionSummary>
        label={t('casefile.versions.title')}
        records={versions.data.items}
        table={table}
        idAccessor="version"
        empty={{ icon: <IconHistory aria-hidden />, title: t('casefile.versions.emptyTitle'), description: t('casefile.versions.emptyDescription') }}
        columns={[
          {
            accessor: 'version',
            title: t('casefile.versions.version'),
            render: (v) => (
              <Group gap={6}>
                <Text size="sm" fw={600}>
                  {t('casefile.versions.number', { version: v.version })}
                </Text>
                {v.kind === 'submit' ? <Badge size="xs" color="navy">{t('casefile.versions.submitted')}</Badge> : null}
                {v.version === versions.data.current ? <Badge size="xs" variant="light" color="teal">{t('casefile.versions.current')}</Badge> : null}
              </Group>
            ),
          },
          { accessor: 'savedAt', title: t('casefile.versions.savedAt'), render: (v) => <DateTime value={v.savedAt} /> },
          { accessor: 'savedBy', title: t('casefile.versions.savedBy'), render: (v) => v.savedBy.displayName },
          { accessor: 'charges', title: t('casefile.versions.contents'), render: (v) => t('casefile.versions.counts', { charges: v.charges, entities: v.entities, events: v.events }) },
          {
            accessor: 'actions',
            title: <span className="visually-hidden">{t('casefile.actions')}</span>,
            width: 110,
            render: (v) => (
              <Button size="compact-sm" variant="light" leftSection={<IconEye size={14} aria-hidden />} onClick={() => setOpen(v.version)} aria-label={t('casefile.versions.viewNamed', { version: v.version })}>
                {t('casefile.versions.view')}
              </Button>
            ),
          },
        ]}
      />
      <Modal opened={open !== null} onClose={() => setOpen(null)} size="xl" title={open !== null ? t('casefile.versions.number', { version: open }) : ''} closeButtonProps={{ 'aria-label': t('common.action.close') }}>
        {open !== null ? <VersionView exerciseId={exerciseId} teamId={teamId} version={open} file={file} /> : null}
      </Modal>
    </Card>
  );
}

/** One saved version, read-only: findings per element, entities and timeline as they were. */
function VersionView({ exerciseId, teamId, version, file }: { exerciseId: string; teamId: string | null; version: number; file: CaseFile }) {
  const t = useT();
  const localized = useLocalized();
  const utc = useUtcTime();
  const query = useVersion(exerciseId, teamId, version);
  if (query.isPending) return <LoadingState variant="form" rows={3} />;
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const v: CaseFileVersion = query.data;
  const chargeOf = (id: string) => file.charges.find((c) => c.chargeId === id);
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        <FormattedMessage id="casefile.versions.savedByAt" values={{ name: v.savedBy.displayName, date: <DateTime value={v.savedAt} /> }} />
      </Text>
      {v.document.charges.length === 0 ? (
        <EmptyState title={t('casefile.versions.noCharges')} />
      ) : (
        v.document.charges.map((c) => {
          const charge = chargeOf(c.chargeId);
          return (
            <Paper key={c.chargeId} withBorder p="md" radius="md">
              <Title order={3} fz="md" mb="xs">
                {localized(charge?.title, c.chargeId)}
              </Title>
              <Stack gap="sm">
                {c.elements.map((e) => (
                  <Stack key={e.elementId} gap={4}>
                    <Text fw={600} size="sm">
                      {localized(charge?.elements.find((x) => x.elementId === e.elementId)?.title, e.elementId)}
                    </Text>
                    <Labelled label={t('casefile.element.finding')} text={e.finding} />
                    <Labelled label={t('casefile.element.reasoning')} text={e.reasoning} />
                    <Text size="xs" c="dimmed">
                      {t('casefile.versions.factsLinked', { count: e.facts.length })}
                    </Text>
                    {e.citations.map((x) => (
                      <Group key={x.exhibit} gap="xs" wrap="nowrap">
                        <Ltr mono fz="xs" style={{ flex: 'none' }}>
                          {x.exhibit}
                        </Ltr>
                        <Hash value={x.sha256} label={t('casefile.citation.hashOf', { exhibit: x.exhibit })} />
                      </Group>
                    ))}
                    <Divider />
                  </Stack>
                ))}
              </Stack>
            </Paper>
          );
        })
      )}
      <Title order={3} fz="md">
        {t('casefile.entities.title')}
      </Title>
      {v.entities.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('casefile.entities.emptyTitle')}
        </Text>
      ) : (
        <Table striped withTableBorder fz="sm">
          <Table.Tbody>
            {v.entities.map((e, i) => (
              <Table.Tr key={i}>
                <Table.Td>{t(entityKindLabel[e.kind])}</Table.Td>
                <Table.Td>
                  <Ltr mono>{e.value}</Ltr>
                </Table.Td>
                <Table.Td>{e.label ?? ''}</Table.Td>
                <Table.Td>{e.exhibit ? <Ltr mono>{e.exhibit}</Ltr> : ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Title order={3} fz="md">
        {t('casefile.timeline.title')}
      </Title>
      {v.timeline.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('casefile.timeline.emptyTitle')}
        </Text>
      ) : (
        <Table striped withTableBorder fz="sm">
          <Table.Tbody>
            {sortTimeline(v.timeline).map((e, i) => (
              <Table.Tr key={i}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{utc(e.at)}</Table.Td>
                <Table.Td dir="auto">{e.description}</Table.Td>
                <Table.Td>{e.exhibit ? <Ltr mono>{e.exhibit}</Ltr> : ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

function Labelled({ label, text }: { label: string; text: string }) {
  if (!text.trim()) return null;
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
      <Text span fw={500} c="dimmed">
        {label}:{' '}
      </Text>
      <bdi dir="auto">{text}</bdi>
    </Text>
  );
}
