import { useState } from 'react';
import { Alert, Badge, Button, Group, List, Modal, Paper, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { IconFingerprint, IconShieldCheck, IconShieldX } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { FormattedNumber } from 'react-intl';
import { custodyActions, type CustodyEntry, type VerificationReport } from '@modules/evidence/schemas.ts';
import { api, seg } from '../../core/api.ts';
import { useNotify } from '../../core/notify.tsx';
import { DataTable } from '../../core/table/DataTable.tsx';
import { usePagedQuery } from '../../core/table/usePagedQuery.ts';
import { useTableState } from '../../core/table/useTableState.ts';
import { DateTime } from '../../components/DateTime.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { HashCell } from '../scenarios/ScenarioPage.tsx';
import { exerciseKey, type ExerciseSummary, type Team } from './api.ts';

type CustodyAction = (typeof custodyActions)[number];
export const custodyActionLabel: Record<CustodyAction, MessageId> = {
  released: 'exercises.custody.action.released',
  viewed: 'exercises.custody.action.viewed',
  downloaded: 'exercises.custody.action.downloaded',
  changed: 'exercises.custody.action.changed',
};
export const custodyActionColor: Record<CustodyAction, string> = { released: 'navy', viewed: 'gray', downloaded: 'grape', changed: 'red' };

/** The chain of custody of the exercise's evidence: every release, view and download, each entry sealed to the one before. */
export function CustodyPanel({ exercise, teams, organiser }: { exercise: ExerciseSummary; teams: Team[]; organiser: boolean }) {
  const t = useT();
  const notify = useNotify();
  const table = useTableState({ prefix: 'custody', defaultSort: '-position', defaultPageSize: 25, filters: ['teamId', 'action'] as const });
  const entries = usePagedQuery<CustodyEntry>([...exerciseKey(exercise.id), 'custody'], `/api/exercises/${seg(exercise.id)}/custody`, table);
  const [report, setReport] = useState<VerificationReport | null>(null);
  const verify = useMutation({
    mutationFn: () => api.get<VerificationReport>(`/api/exercises/${seg(exercise.id)}/custody/verify`),
    onSuccess: setReport,
    onError: notify.error,
  });

  const columns: DataTableColumn<CustodyEntry>[] = [
    { accessor: 'position', title: '#', sortable: true, width: 64, render: (e) => <FormattedNumber value={e.position} /> },
    { accessor: 'occurredAt', title: t('exercises.custody.when'), noWrap: true, render: (e) => <DateTime value={e.occurredAt} /> },
    {
      accessor: 'action',
      title: t('exercises.custody.actionCol'),
      render: (e) => (
        <Badge color={custodyActionColor[e.action]} variant="light" miw="max-content">
          {t(custodyActionLabel[e.action])}
        </Badge>
      ),
    },
    { accessor: 'evidenceKey', title: t('exercises.custody.item'), render: (e) => <Ltr mono fz="sm">{e.evidenceKey}</Ltr> },
    { accessor: 'teamName', title: t('exercises.custody.team'), render: (e) => e.teamName ?? <Text span size="sm" c="dimmed">{t('exercises.custody.scenario')}</Text> },
    { accessor: 'actor', title: t('exercises.custody.by'), render: (e) => e.actor?.displayName ?? <Text span size="sm" c="dimmed">{t('exercises.custody.system')}</Text> },
    { accessor: 'sha256', title: t('exercises.custody.fileHash'), render: (e) => <HashCell value={e.sha256} label={t('exercises.custody.fileHash')} /> },
    { accessor: 'hash', title: t('exercises.custody.entryHash'), render: (e) => <HashCell value={e.hash} label={t('exercises.custody.entryHash')} /> },
  ];

  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <Select
            label={t('exercises.custody.team')}
            placeholder={t('exercises.custody.allTeams')}
            data={teams.map((x) => ({ value: x.id, label: x.name }))}
            value={table.filters.teamId ?? null}
            onChange={(v) => table.setFilter('teamId', v)}
            clearable
          />
          <Select
            label={t('exercises.custody.actionCol')}
            placeholder={t('exercises.custody.allActions')}
            data={custodyActions.map((a) => ({ value: a, label: t(custodyActionLabel[a]) }))}
            value={table.filters.action ?? null}
            onChange={(v) => table.setFilter('action', v)}
            clearable
          />
          {organiser ? (
            <Stack justify="flex-end">
              <Button variant="light" leftSection={<IconShieldCheck size={18} aria-hidden />} loading={verify.isPending} onClick={() => verify.mutate()}>
                {t('exercises.custody.verify')}
              </Button>
            </Stack>
          ) : null}
        </SimpleGrid>
      </Paper>
      <DataTable<CustodyEntry>
        label={t('exercises.tab.custody')}
        columns={columns}
        table={table}
        query={entries}
        empty={{ icon: <IconFingerprint aria-hidden />, title: t('exercises.custody.empty'), description: t('exercises.custody.emptyHint') }}
      />
      <Modal opened={report !== null} onClose={() => setReport(null)} title={t('exercises.custody.reportTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.action.close') }}>
        {report ? <VerificationView report={report} /> : null}
      </Modal>
    </Stack>
  );
}

function VerificationView({ report }: { report: VerificationReport }) {
  const t = useT();
  const problems = [...report.custody.problems.map((p) => p.message), ...report.files.problems.map((p) => p.message)];
  return (
    <Stack gap="md">
      <Alert color={report.intact ? 'teal' : 'red'} icon={report.intact ? <IconShieldCheck aria-hidden /> : <IconShieldX aria-hidden />} title={t(report.intact ? 'exercises.custody.intact' : 'exercises.custody.broken')} role={report.intact ? 'status' : 'alert'}>
        {t('exercises.custody.reportSummary', { entries: report.custody.entries, files: report.files.checked })}
      </Alert>
      <Group gap="xs">
        <Text size="sm" c="dimmed">
          {t('exercises.custody.verifiedAt')}
        </Text>
        <Text size="sm">
          <DateTime value={report.verifiedAt} />
        </Text>
      </Group>
      {report.custody.head ? (
        <Stack gap={2}>
          <Text size="sm" c="dimmed">
            {t('exercises.custody.head', { position: report.custody.head.position })}
          </Text>
          <Ltr mono block fz="xs" style={{ wordBreak: 'break-all' }}>
            {report.custody.head.hash}
          </Ltr>
        </Stack>
      ) : null}
      {problems.length > 0 ? (
        <List size="sm" spacing={4}>
          {problems.map((m, i) => (
            <List.Item key={i}>
              <span lang="en">
                <Ltr>{m}</Ltr>
              </span>
            </List.Item>
          ))}
        </List>
      ) : null}
    </Stack>
  );
}
