import '@mantine/charts/styles.css';
import { useMemo, useState } from 'react';
import { BarChart } from '@mantine/charts';
import { Badge, Box, Card, Divider, Grid, Group, Select, SimpleGrid, Stack, Table, Text, Title, useDirection } from '@mantine/core';
import { IconFlame, IconUsersGroup } from '@tabler/icons-react';
import { FormattedNumber, useIntl } from 'react-intl';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import type { ExerciseSummary, Team } from '../exercises/api.ts';
import { chartRows } from '../play/chart.ts';
import { Localized } from '../scenarios/localized.tsx';
import { exerciseReportUrl, useExerciseReport, type ExerciseReport } from './api.ts';
import { duration, objectiveRows, replyRows } from './report.ts';
import { Figure, PointsChart, ReportFrame, Section, TableSection } from './parts.tsx';
import { TeamReportPanel } from './TeamReportPanel.tsx';

const palette = ['navy.7', 'teal.6', 'orange.6', 'grape.6', 'red.6', 'cyan.6', 'lime.7', 'pink.6', 'indigo.5', 'yellow.7', 'gray.6', 'violet.6'];

/** The exercise's after-action report for its staff, and any team's report through a picker. */
export function ExerciseReportPanel({ exercise, teams }: { exercise: ExerciseSummary; teams: Team[] }) {
  const t = useT();
  const report = useExerciseReport(exercise.id);
  const [teamId, setTeamId] = useState<string | null>(null);
  return (
    <Stack gap="lg">
      {report.isPending ? (
        <LoadingState variant="cards" />
      ) : report.error ? (
        <ErrorState error={report.error} onRetry={() => void report.refetch()} />
      ) : (
        <ExerciseReportView report={report.data} onRefresh={() => void report.refetch()} refreshing={report.isFetching} />
      )}
      <Divider />
      <Card p="lg">
        <Group justify="space-between" align="flex-end">
          <Stack gap={2}>
            <Title order={3} fz="md">
              {t('reports.picker.title')}
            </Title>
            <Text size="xs" c="dimmed">
              {t('reports.picker.description')}
            </Text>
          </Stack>
          <Select
            w={280}
            label={t('reports.picker.label')}
            placeholder={t('reports.picker.placeholder')}
            data={teams.map((team) => ({ value: team.id, label: team.name }))}
            value={teamId}
            onChange={setTeamId}
            searchable
            nothingFoundMessage={t('reports.picker.noTeams')}
            leftSection={<IconUsersGroup size={16} aria-hidden />}
          />
        </Group>
      </Card>
      {teamId ? <TeamReportPanel key={teamId} exerciseId={exercise.id} teamId={teamId} /> : null}
    </Stack>
  );
}

function ExerciseReportView({ report: r, onRefresh, refreshing }: { report: ExerciseReport; onRefresh: () => void; refreshing: boolean }) {
  const t = useT();
  const intl = useIntl();
  const { dir } = useDirection();
  const rtl = dir === 'rtl';
  const names = useMemo(() => new Map(r.teams.map((team) => [team.teamId, team.teamName])), [r.teams]);
  const scoreRows = useMemo(
    () =>
      chartRows(
        { series: r.series, ranking: r.teams.map((team) => ({ rank: team.rank, teamId: team.teamId, teamName: team.teamName, countries: [], score: team.score, solvedCount: team.solved, lastScoreAt: null })) },
        r.endedAt ? Date.parse(r.endedAt) : undefined,
      ),
    [r],
  );
  const objectives = objectiveRows(r);
  const replies = replyRows(r, (id) => names.get(id) ?? '');
  const byKey = new Map(r.objectives.map((o) => [o.key, o]));
  const percent = (x: number) => intl.formatNumber(x, { style: 'percent', maximumFractionDigits: 0 });
  const withCaseFile = r.chargeCount > 0;
  // Category charts read from the start edge: reversed in Arabic.
  const ordered = <T,>(rows: T[]) => (rtl ? [...rows].reverse() : rows);

  return (
    <ReportFrame title={t('reports.exercise.title')} report={r} url={(format) => exerciseReportUrl(r.exerciseId, format)} onRefresh={onRefresh} refreshing={refreshing}>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Figure label={t('reports.exercise.teams')} value={<FormattedNumber value={r.teamCount} />} />
        <Figure label={t('reports.exercise.objectives')} value={<FormattedNumber value={r.objectives.length} />} />
        <Figure label={t('reports.advice.requests')} value={<FormattedNumber value={r.advice.requests} />} hint={t('reports.advice.answeredCount', { count: r.advice.answered })} />
        <Figure label={t('reports.advice.median')} value={<Ltr mono>{duration(r.advice.medianFirstReplySeconds)}</Ltr>} hint={t('reports.advice.p90', { time: duration(r.advice.p90FirstReplySeconds) })} />
      </SimpleGrid>

      <TableSection
        title={t('reports.teams.title')}
        empty={r.teams.length === 0 ? t('reports.picker.noTeams') : null}
        minWidth={720}
        head={
          <>
            <Table.Th w={60}>{t('reports.teams.rank')}</Table.Th>
            <Table.Th>{t('reports.teams.team')}</Table.Th>
            <Table.Th ta="end">{t('reports.summary.score')}</Table.Th>
            <Table.Th ta="end">{t('reports.summary.solved')}</Table.Th>
            <Table.Th ta="end">{t('reports.summary.hints')}</Table.Th>
            <Table.Th ta="end">{t('reports.summary.advice')}</Table.Th>
            <Table.Th ta="end">{t('reports.teams.legal')}</Table.Th>
            {withCaseFile ? <Table.Th ta="end">{t('reports.teams.readiness')}</Table.Th> : null}
            {withCaseFile ? <Table.Th ta="end">{t('reports.caseFile.chargesReady')}</Table.Th> : null}
          </>
        }
      >
        {r.teams.map((team) => (
          <Table.Tr key={team.teamId}>
            <Table.Td>
              <FormattedNumber value={team.rank} />
            </Table.Td>
            <Table.Td fw={600}>{team.teamName}</Table.Td>
            <Table.Td ta="end" fw={700}>
              <FormattedNumber value={team.score} />
            </Table.Td>
            <Table.Td ta="end">
              <FormattedNumber value={team.solved} />
            </Table.Td>
            <Table.Td ta="end">
              <FormattedNumber value={team.hints} />
            </Table.Td>
            <Table.Td ta="end">
              {t('reports.teams.adviceCell', { count: team.adviceRequests, penalties: team.advicePenalties })}
            </Table.Td>
            <Table.Td ta="end">{t('reports.summary.legalOutcomes', { granted: team.legalGranted, refused: team.legalRefused })}</Table.Td>
            {withCaseFile ? (
              <Table.Td ta="end">
                {team.readiness === null ? '—' : percent(team.readiness)}
                {!team.readinessFinal ? (
                  <Badge ms={6} size="xs" variant="light" color="gray">
                    {t('reports.teams.provisional')}
                  </Badge>
                ) : null}
              </Table.Td>
            ) : null}
            {withCaseFile ? <Table.Td ta="end">{t('reports.summary.ofTotal', { count: team.chargesReady, total: r.chargeCount })}</Table.Td> : null}
          </Table.Tr>
        ))}
      </TableSection>

      <Section title={t('reports.chart.pointsTeams')} empty={scoreRows.length < 2 ? t('reports.chart.pointsEmpty') : null}>
        <PointsChart
          h={280}
          rows={scoreRows}
          series={r.teams.map((team, i) => ({ name: team.teamName, color: palette[i % palette.length] ?? 'gray.6' }))}
          legend
          label={`${t('reports.chart.pointsTeams')}. ${r.teams.map((team) => t('reports.chart.pointsSummary', { team: team.teamName, score: team.score })).join('; ')}`}
        />
      </Section>

      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <ObjectiveBars
            title={t('reports.chart.solveRate')}
            summary={objectives.map((o) => `${o.objective}: ${o.solveRate} %`).join('; ')}
            rows={objectives}
            series={{ name: 'solveRate', label: t('reports.objectives.solveRate'), color: 'teal.6' }}
            domain={[0, 100]}
            format={(v) => `${intl.formatNumber(v)} %`}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <ObjectiveBars
            title={t('reports.chart.medianTime')}
            summary={r.objectives.map((o) => `${o.key}: ${duration(o.medianSecondsToSolve)}`).join('; ')}
            rows={objectives}
            series={{ name: 'medianMinutes', label: t('reports.objectives.medianTime'), color: 'orange.6' }}
            format={(v) => t('reports.chart.minutes', { minutes: v })}
          />
        </Grid.Col>
      </Grid>

      <TableSection
        title={t('reports.hardest.title')}
        icon={<IconFlame size={18} aria-hidden />}
        minWidth={560}
        head={
          <>
            <Table.Th>{t('reports.objectives.objective')}</Table.Th>
            <Table.Th ta="end">{t('reports.objectives.solves')}</Table.Th>
            <Table.Th ta="end">{t('reports.objectives.solveRate')}</Table.Th>
            <Table.Th ta="end">{t('reports.objectives.medianTime')}</Table.Th>
            <Table.Th ta="end">{t('reports.objectives.attempts')}</Table.Th>
          </>
        }
      >
        {r.hardest.map((key) => {
          const o = byKey.get(key);
          if (!o) return null;
          return (
            <Table.Tr key={key}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  <Ltr mono>{o.key}</Ltr>
                </Text>
                <Localized text={o.prompt} fz="xs" c="dimmed" />
              </Table.Td>
              <Table.Td ta="end">{t('reports.summary.ofTotal', { count: o.solves, total: r.teamCount })}</Table.Td>
              <Table.Td ta="end">{percent(o.solveRate)}</Table.Td>
              <Table.Td ta="end">
                <Ltr mono>{duration(o.medianSecondsToSolve)}</Ltr>
              </Table.Td>
              <Table.Td ta="end">
                <FormattedNumber value={o.attempts} />
              </Table.Td>
            </Table.Tr>
          );
        })}
      </TableSection>

      <Section title={t('reports.advice.title')} empty={r.advice.requests === 0 ? t('reports.advice.none') : null}>
        <Grid>
          <Grid.Col span={{ base: 12, md: 7 }}>
            {replies.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('reports.advice.noReplies')}
              </Text>
            ) : (
              <Box role="img" aria-label={`${t('reports.chart.replyTimes')}. ${t('reports.advice.p90', { time: duration(r.advice.p90FirstReplySeconds) })}`}>
                <Text size="xs" c="dimmed" mb={4}>
                  {t('reports.chart.replyTimes')}
                </Text>
                <BarChart
                  h={200}
                  data={ordered(replies)}
                  dataKey="request"
                  tickLine="none"
                  gridAxis="y"
                  maxBarWidth={28}
                  yAxisProps={{ orientation: rtl ? 'right' : 'left', width: 56 }}
                  valueFormatter={(v) => t('reports.chart.minutes', { minutes: v })}
                  series={[{ name: 'minutes', label: t('reports.advice.replyTime'), color: 'indigo.6' }]}
                />
              </Box>
            )}
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            {r.advice.perExpert.length === 0 ? null : (
              <Table verticalSpacing={4} aria-label={t('reports.advice.experts')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('reports.advice.expert')}</Table.Th>
                    <Table.Th ta="end">{t('reports.advice.replies')}</Table.Th>
                    <Table.Th ta="end">{t('reports.advice.median')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.advice.perExpert.map((e) => (
                    <Table.Tr key={e.userId}>
                      <Table.Td>{e.displayName}</Table.Td>
                      <Table.Td ta="end">
                        <FormattedNumber value={e.replies} />
                      </Table.Td>
                      <Table.Td ta="end">
                        <Ltr mono>{duration(e.medianFirstReplySeconds)}</Ltr>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Grid.Col>
        </Grid>
      </Section>
    </ReportFrame>
  );
}

/** A chart of one bar per objective, laid horizontally so that their names stay readable. */
function ObjectiveBars(props: { title: string; summary: string; rows: ReturnType<typeof objectiveRows>; series: { name: 'solveRate' | 'medianMinutes'; label: string; color: string }; domain?: [number, number]; format: (value: number) => string }) {
  const { dir } = useDirection();
  const rtl = dir === 'rtl';
  return (
    <Section title={props.title} h="100%">
      <Box role="img" aria-label={`${props.title}. ${props.summary}`}>
        <BarChart
          h={Math.max(160, 48 + props.rows.length * 30)}
          data={props.rows}
          dataKey="objective"
          orientation="vertical"
          tickLine="none"
          gridAxis="x"
          maxBarWidth={18}
          yAxisProps={{ orientation: rtl ? 'right' : 'left', width: 130, interval: 0, tick: { fontSize: 11 } }}
          xAxisProps={{ ...(props.domain ? { domain: props.domain } : {}), reversed: rtl }}
          valueFormatter={props.format}
          series={[props.series]}
        />
      </Box>
    </Section>
  );
}
