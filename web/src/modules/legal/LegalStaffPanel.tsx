import { useCallback } from 'react';
import { Badge, Card, Group, Paper, Select, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconGavel, IconHourglass } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { FormattedNumber } from 'react-intl';
import { legalOutcomes } from '@modules/legal/schemas.ts';
import { DataTable } from '../../core/table/DataTable.tsx';
import { usePagedQuery } from '../../core/table/usePagedQuery.ts';
import { filterSelectProps, useTableState } from '../../core/table/useTableState.ts';
import { DateTime } from '../../components/DateTime.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import type { ExerciseSummary, Team } from '../exercises/api.ts';
import { useLiveEvents, type LiveMessage } from '../exercises/live.ts';
import { Localized, useLocalized } from '../scenarios/localized.tsx';
import { RichText } from '../scenarios/RichText.tsx';
import { legalBase, legalKey, partyKindIcon, statusColor, statusLabel, typeLabel, useLegalSummary, useParties, type LegalPartySummary, type LegalRequest } from './api.ts';
import { IdentifierList, Justification } from './LegalRequestsPanel.tsx';

const pollMs = 15_000;

/** Trainers and experts: every team's legal requests with the outcome decided, and a summary per party. */
export function LegalStaffPanel({ exercise, teams }: { exercise: ExerciseSummary; teams: Team[] }) {
  const t = useT();
  const client = useQueryClient();
  const localized = useLocalized();
  const onEvent = useCallback(
    (m: LiveMessage) => {
      if (m.type === 'legal_request' || m.type === 'legal_reply') void client.invalidateQueries({ queryKey: legalKey(exercise.id) });
    },
    [client, exercise.id],
  );
  const live = useLiveEvents(`/api/exercises/${encodeURIComponent(exercise.id)}/events`, onEvent);
  const polling = live === 'live' ? false : pollMs;
  const parties = useParties(exercise.id);
  const summary = useLegalSummary(exercise.id, polling);
  const table = useTableState({ prefix: 'legal', defaultSort: '-sentAt', defaultPageSize: 25, filters: ['teamId', 'party', 'outcome'] as const });
  const requests = usePagedQuery<LegalRequest>([...legalKey(exercise.id), 'staff'], `${legalBase(exercise.id)}/requests`, table);

  const columns: DataTableColumn<LegalRequest>[] = [
    { accessor: 'sentAt', title: t('legal.staff.sentAt'), sortable: true, noWrap: true, render: (r) => <DateTime value={r.sentAt} /> },
    { accessor: 'teamName', title: t('legal.staff.team'), sortable: true, render: (r) => <Text size="sm">{r.teamName}</Text> },
    {
      accessor: 'party',
      title: t('legal.staff.party'),
      sortable: true,
      render: (r) => (
        <Stack gap={0}>
          <Text size="sm">{localized(r.partyName, r.party)}</Text>
          <Text size="xs" c="dimmed">
            {t(typeLabel[r.type])}
          </Text>
        </Stack>
      ),
    },
    {
      accessor: 'outcome',
      title: t('legal.staff.outcome'),
      sortable: true,
      render: (r) => (
        <Stack gap={4} align="flex-start">
          {r.outcome ? (
            <Badge variant="light" color={statusColor[r.outcome]} miw="max-content">
              {t(statusLabel[r.outcome])}
            </Badge>
          ) : null}
          {r.status === 'pending' ? (
            <Group gap={4} wrap="nowrap">
              <IconHourglass size={12} aria-hidden />
              <Text size="xs" c="blue.8">
                {t('legal.staff.awaiting')}
              </Text>
            </Group>
          ) : null}
          {r.responseId ? (
            <Ltr mono fz="xs">
              {r.responseId}
            </Ltr>
          ) : null}
        </Stack>
      ),
    },
    {
      accessor: 'points',
      title: t('legal.staff.points'),
      render: (r) => (r.points === null ? <Text size="sm" c="dimmed">—</Text> : <FormattedNumber value={r.points} signDisplay="exceptZero" />),
    },
    { accessor: 'identifiers', title: t('legal.staff.identifiers'), render: (r) => <IdentifierList identifiers={r.identifiers} /> },
    {
      accessor: 'justification',
      title: t('legal.staff.justification'),
      width: 220,
      render: (r) => <Justification text={r.justification} clamped />,
    },
  ];

  return (
    <Stack gap="md">
      <section aria-labelledby="legal-summary">
        <Title order={2} fz="md" mb="sm" id="legal-summary">
          {t('legal.staff.summary')}
        </Title>
        {summary.isPending ? (
          <LoadingState variant="table" rows={2} />
        ) : summary.error ? (
          <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
        ) : summary.data.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('legal.staff.noParties')}
          </Text>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="sm">
            {summary.data.map((s) => (
              <PartySummary key={s.party} summary={s} kind={parties.data?.find((p) => p.id === s.party)?.kind ?? 'other'} teams={teams.length} />
            ))}
          </SimpleGrid>
        )}
      </section>
      <Paper withBorder p="md">
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <Select label={t('legal.staff.team')} placeholder={t('legal.staff.allTeams')} data={teams.map((x) => ({ value: x.id, label: x.name }))} {...filterSelectProps(table, 'teamId', t('legal.staff.clearTeam'))} />
          <Select
            label={t('legal.staff.party')}
            placeholder={t('legal.staff.allParties')}
            data={(parties.data ?? []).map((p) => ({ value: p.id, label: localized(p.name, p.id) }))}
            {...filterSelectProps(table, 'party', t('legal.staff.clearParty'))}
          />
          <Select
            label={t('legal.staff.outcome')}
            placeholder={t('legal.staff.allOutcomes')}
            data={legalOutcomes.map((o) => ({ value: o, label: t(statusLabel[o]) }))}
            {...filterSelectProps(table, 'outcome', t('legal.staff.clearOutcome'))}
          />
        </SimpleGrid>
      </Paper>
      <DataTable<LegalRequest>
        label={t('exercises.tab.legal')}
        columns={columns}
        table={table}
        query={requests}
        empty={{ icon: <IconGavel aria-hidden />, title: t('legal.staff.emptyTitle'), description: t('legal.staff.empty') }}
        tableProps={{
          rowExpansion: {
            content: ({ record: r }) => (
              <Stack gap="xs" p="md">
                <Text size="xs" c="dimmed">
                  {t('legal.staff.sentBy', { name: r.sentByName })}
                </Text>
                {r.justification ? (
                  <Text size="sm" dir="auto" style={{ whiteSpace: 'pre-wrap' }}>
                    {r.justification}
                  </Text>
                ) : null}
                {r.reply ? (
                  <Paper bg="var(--mantine-color-gray-0)" p="sm" radius="md">
                    <Text size="xs" c="dimmed" mb={4}>
                      {t('legal.request.replied')} <DateTime value={r.repliedAt} />
                    </Text>
                    <Localized text={r.reply} component="div" render={(text) => <RichText text={text} />} />
                  </Paper>
                ) : r.status === 'pending' ? (
                  <Text size="sm" c="dimmed">
                    {t('legal.staff.replyIn', { minutes: Math.ceil((r.replyDueInSeconds ?? 0) / 60) })}
                  </Text>
                ) : null}
              </Stack>
            ),
          },
        }}
      />
    </Stack>
  );
}

function PartySummary({ summary: s, kind, teams }: { summary: LegalPartySummary; kind: keyof typeof partyKindIcon; teams: number }) {
  const t = useT();
  const KindIcon = partyKindIcon[kind];
  return (
    <Card withBorder p="md">
      <Group wrap="nowrap" gap="sm" mb="xs">
        <ThemeIcon variant="light" radius="md" size={34} aria-hidden>
          <KindIcon size={20} stroke={1.6} />
        </ThemeIcon>
        <Localized text={s.partyName} fw={600} />
      </Group>
      <Group gap="xs">
        <Badge variant="light" color="gray">
          {t('legal.staff.sent', { count: s.sent })}
        </Badge>
        <Badge variant="light" color={statusColor.granted}>
          {t('legal.staff.granted', { count: s.granted })}
        </Badge>
        <Badge variant="light" color={statusColor.refused}>
          {t('legal.staff.refused', { count: s.refused })}
        </Badge>
        {s.alreadyProvided > 0 ? (
          <Badge variant="light" color={statusColor.already_provided}>
            {t('legal.staff.repeated', { count: s.alreadyProvided })}
          </Badge>
        ) : null}
        {s.pending > 0 ? (
          <Badge variant="outline" color="blue">
            {t('legal.staff.pending', { count: s.pending })}
          </Badge>
        ) : null}
      </Group>
      <Text size="xs" c="dimmed" mt="xs">
        {t('legal.staff.teamsGranted', { count: s.teamsGranted, teams })} · {t('legal.staff.pointsTotal', { points: s.points })}
      </Text>
    </Card>
  );
}
