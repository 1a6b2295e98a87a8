import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Alert, Anchor, Badge, Box, Button, Card, Group, Progress, Stack, Text, Title, useDirection } from '@mantine/core';
import { IconArrowLeft, IconChartBar, IconFileCertificate, IconFileTypePdf, IconGavel, IconLock } from '@tabler/icons-react';
import { FormattedMessage, FormattedNumber } from 'react-intl';
import { useSearchParams } from 'react-router';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { DataTable } from '../../core/table/DataTable.tsx';
import { useTableState } from '../../core/table/useTableState.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useLocale } from '../../i18n/I18nProvider.tsx';
import { useT } from '../../i18n/useT.ts';
import type { ExerciseSummary, Team } from '../exercises/api.ts';
import { reportUrl, useCaseFile, useOverview } from './api.ts';
import { CaseFileSections } from './CaseFilePanel.tsx';
import { overviewRows, percentOf, readinessColor, type OverviewRow } from './display.ts';
import { EvaluationForm } from './EvaluationForm.tsx';
import { StatusBadge } from './parts.tsx';
import { ReadinessCard } from './ReadinessCard.tsx';

/** Trainers and experts: every team's case file, a comparison of readiness, and one team's case file to evaluate (`?casefile=<teamId>`). */
export function CaseFilesStaffPanel({ exercise, teams }: { exercise: ExerciseSummary; teams: Team[] }) {
  const [params, setParams] = useSearchParams();
  const teamId = params.get('casefile');
  const open = (id: string | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (id) next.set('casefile', id);
      else next.delete('casefile');
      next.delete('part');
      return next;
    });
  if (teamId) return <StaffCaseFile exercise={exercise} teamId={teamId} onBack={() => open(null)} />;
  return <Overview exercise={exercise} teams={teams} onOpen={open} />;
}

const evaluationLabel: Record<OverviewRow['evaluationState'], MessageId> = {
  none: 'casefile.staff.evaluation.none',
  waiting: 'casefile.staff.evaluation.waiting',
  in_progress: 'casefile.staff.evaluation.in_progress',
  final: 'casefile.staff.evaluation.final',
};
const evaluationColor: Record<OverviewRow['evaluationState'], string> = { none: 'gray', waiting: 'orange', in_progress: 'blue', final: 'teal' };

function Overview({ exercise, teams, onOpen }: { exercise: ExerciseSummary; teams: Team[]; onOpen: (teamId: string) => void }) {
  const t = useT();
  const overview = useOverview(exercise.id);
  const table = useTableState({ prefix: 'cf', defaultSort: 'teamName' });
  if (overview.isPending) return <LoadingState variant="table" />;
  if (overview.error) return <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />;
  if (!overview.data.prosecution) {
    return (
      <Card>
        <EmptyState icon={<IconGavel aria-hidden />} title={t('casefile.noProsecution.title')} description={t('casefile.staff.noProsecution')} />
      </Card>
    );
  }
  const rows = overviewRows(overview.data.items);
  const submitted = rows.filter((r) => r.status === 'submitted').length;
  const waiting = rows.filter((r) => r.evaluationState === 'waiting' || r.evaluationState === 'in_progress').length;
  const evaluated = rows.filter((r) => r.evaluationState === 'final').length;

  return (
    <Stack gap="md">
      <Group gap="md">
        <Stat label={t('casefile.staff.submitted')} value={t('casefile.staff.ofTeams', { count: submitted, teams: Math.max(teams.length, rows.length) })} />
        <Stat label={t('casefile.staff.toEvaluate')} value={<FormattedNumber value={waiting} />} color={waiting > 0 ? 'orange' : undefined} />
        <Stat label={t('casefile.staff.evaluated')} value={<FormattedNumber value={evaluated} />} />
        {overview.data.points > 0 ? <Stat label={t('casefile.staff.points')} value={<FormattedNumber value={overview.data.points} />} /> : null}
      </Group>
      <ReadinessChart rows={rows} />
      <Card p="md">
        <DataTable<OverviewRow>
          label={t('casefile.staff.tableLabel')}
          table={table}
          records={rows}
          idAccessor="teamId"
          empty={{ icon: <IconFileCertificate aria-hidden />, title: t('casefile.staff.emptyTitle'), description: t('casefile.staff.emptyDescription') }}
          tableProps={{ onRowClick: ({ record }) => onOpen(record.teamId), highlightOnHover: true, rowStyle: () => ({ cursor: 'pointer' }) }}
          columns={[
            {
              accessor: 'teamName',
              title: t('casefile.staff.team'),
              sortable: true,
              render: (r) => (
                <Anchor component="button" type="button" fw={600} size="sm" onClick={(e) => { e.stopPropagation(); onOpen(r.teamId); }}>
                  {r.teamName}
                </Anchor>
              ),
            },
            { accessor: 'status', title: t('casefile.staff.status'), sortable: true, noWrap: true, render: (r) => <StatusBadge status={r.status} evaluated={r.finalReadiness !== null} /> },
            { accessor: 'submittedAt', title: t('casefile.staff.submittedAt'), sortable: true, noWrap: true, render: (r) => <DateTime value={r.submittedAt} /> },
            { accessor: 'provisionalReadiness', title: t('casefile.readiness.provisional'), sortable: true, width: 170, render: (r) => <Share value={r.provisionalReadiness} /> },
            { accessor: 'finalReadiness', title: t('casefile.readiness.final'), sortable: true, width: 170, render: (r) => (r.finalReadiness === null ? <Text size="sm" c="dimmed">—</Text> : <Share value={r.finalReadiness} />) },
            { accessor: 'chargesReady', title: t('casefile.staff.chargesReady'), sortable: true, render: (r) => t('casefile.staff.chargesReadyOf', { ready: r.chargesReady, total: r.charges.length }) },
            {
              accessor: 'evaluationState',
              title: t('casefile.staff.evaluations'),
              sortable: true,
              noWrap: true,
              render: (r) => (
                <Group gap={6} wrap="nowrap">
                  <Badge color={evaluationColor[r.evaluationState]} variant="light" tt="none">
                    {t(evaluationLabel[r.evaluationState])}
                  </Badge>
                  {r.status === 'submitted' ? (
                    <Text size="xs" c="dimmed">
                      {t('casefile.staff.evaluationsOf', { done: r.evaluations, needed: r.evaluationsNeeded })}
                    </Text>
                  ) : null}
                </Group>
              ),
            },
          ]}
        />
      </Card>
    </Stack>
  );
}

function Stat({ label, value, color }: { label: string; value: React.ReactNode; color?: string | undefined }) {
  return (
    <Card p="sm" px="md" withBorder>
      <Text size="xs" c="dimmed" fw={600}>
        {label}
      </Text>
      <Text fz="xl" fw={700} c={color ? `${color}.7` : undefined}>
        {value}
      </Text>
    </Card>
  );
}

function Share({ value }: { value: number }) {
  return (
    <Group gap="xs" wrap="nowrap">
      <Progress value={percentOf(value)} color={readinessColor(value)} w={80} aria-hidden />
      <Text size="sm" fw={500}>
        <FormattedNumber value={percentOf(value) / 100} style="percent" />
      </Text>
    </Group>
  );
}

/** Provisional and final readiness of every team side by side. */
function ReadinessChart({ rows }: { rows: OverviewRow[] }) {
  const t = useT();
  const { dir } = useDirection();
  if (rows.length === 0) return null;
  const data = rows.map((r) => ({ team: r.teamName, provisional: percentOf(r.provisionalReadiness), final: r.finalReadiness === null ? 0 : percentOf(r.finalReadiness) }));
  const rtl = dir === 'rtl';
  const summary = rows
    .map((r) =>
      r.finalReadiness === null
        ? t('casefile.staff.chartSummary', { team: r.teamName, provisional: percentOf(r.provisionalReadiness) / 100 })
        : t('casefile.staff.chartSummaryFinal', { team: r.teamName, provisional: percentOf(r.provisionalReadiness) / 100, final: percentOf(r.finalReadiness) / 100 }),
    )
    .join('; ');
  return (
    <Card p="lg">
      <Group gap="xs" mb="md">
        <IconChartBar size={18} aria-hidden />
        <Title order={3} fz="md">
          {t('casefile.staff.chartTitle')}
        </Title>
      </Group>
      <Box role="img" aria-label={`${t('casefile.staff.chartTitle')}. ${summary}`}>
        <BarChart
          h={Math.max(180, 60 + rows.length * 8)}
          data={rtl ? [...data].reverse() : data}
          dataKey="team"
          withLegend
          legendProps={{ verticalAlign: 'top', height: 36 }}
          tickLine="none"
          gridAxis="y"
          maxBarWidth={36}
          valueFormatter={(v) => `${v}%`}
          yAxisProps={{ orientation: rtl ? 'right' : 'left', width: 44, domain: [0, 100] }}
          xAxisProps={{ interval: 0, tick: { fontSize: 11 } }}
          series={[
            { name: 'provisional', label: t('casefile.readiness.provisional'), color: 'gray.5' },
            { name: 'final', label: t('casefile.readiness.final'), color: 'teal.6' },
          ]}
        />
      </Box>
    </Card>
  );
}

/** One team's case file, read-only, with the evaluation beside each element. */
function StaffCaseFile({ exercise, teamId, onBack }: { exercise: ExerciseSummary; teamId: string; onBack: () => void }) {
  const t = useT();
  const { locale } = useLocale();
  const query = useCaseFile(exercise.id, teamId);
  const back = (
    <Anchor component="button" type="button" size="sm" onClick={onBack}>
      <Group gap={4} wrap="nowrap" component="span">
        <IconArrowLeft size={14} className="mirror-rtl" aria-hidden />
        {t('casefile.staff.back')}
      </Group>
    </Anchor>
  );
  if (query.isPending) return <LoadingState />;
  if (query.error) {
    return (
      <Stack gap="md" align="flex-start">
        {back}
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      </Stack>
    );
  }
  const file = query.data;
  return (
    <Stack gap="md">
      <Card p={{ base: 'md', sm: 'lg' }}>
        <Stack gap={6}>
          {back}
          <Group justify="space-between" align="flex-start" gap="md">
            <Stack gap={4}>
              <Group gap="sm">
                <IconFileCertificate size={24} aria-hidden />
                <Title order={2} fz="lg">
                  {t('casefile.staff.teamTitle', { team: file.teamName })}
                </Title>
                <StatusBadge status={file.status} evaluated={file.readiness.final !== null} />
              </Group>
              <Text size="sm" c="dimmed">
                {file.submittedAt ? (
                  <FormattedMessage id="casefile.staff.submittedBy" values={{ name: file.submittedBy?.displayName ?? '—', date: <DateTime value={file.submittedAt} /> }} />
                ) : file.version > 0 ? (
                  t('casefile.save.saved', { version: file.version })
                ) : (
                  t('casefile.staff.nothingYet')
                )}
              </Text>
            </Stack>
            <Button component="a" href={reportUrl(exercise.id, teamId, locale)} variant="default" leftSection={<IconFileTypePdf size={18} aria-hidden />} download>
              {t('casefile.report.download')}
            </Button>
          </Group>
        </Stack>
      </Card>
      <ReadinessCard file={file} />
      {file.status === 'submitted' && file.prosecution ? (
        <EvaluationForm key={`${file.teamId}:${file.version}`} exerciseId={exercise.id} file={file}>
          {(aside) => <CaseFileSections exerciseId={exercise.id} teamId={teamId} file={file} editing={null} editable={false} locker={[]} aside={aside} />}
        </EvaluationForm>
      ) : (
        <>
          {file.prosecution ? (
            <Alert color="gray" variant="light" icon={<IconLock aria-hidden />}>
              {t('casefile.staff.notSubmitted')}
            </Alert>
          ) : null}
          <CaseFileSections exerciseId={exercise.id} teamId={teamId} file={file} editing={null} editable={false} locker={[]} />
        </>
      )}
    </Stack>
  );
}
