import '@mantine/charts/styles.css';
import { useMemo, useState } from 'react';
import { BarChart, RadarChart } from '@mantine/charts';
import { Badge, Box, Button, Card, Chip, Grid, Group, Progress, SimpleGrid, Stack, Table, Text, ThemeIcon, Timeline, Title, useDirection } from '@mantine/core';
import {
  IconBroadcast,
  IconBulb,
  IconCircleCheck,
  IconDownload,
  IconFileCertificate,
  IconFileCheck,
  IconFiles,
  IconGavel,
  IconMessageQuestion,
  IconMessageReply,
  IconDeviceFloppy,
  IconPlusMinus,
  IconScale,
  IconSend,
  IconSpeakerphone,
  IconTimeline,
} from '@tabler/icons-react';
import { FormattedNumber, useIntl } from 'react-intl';
import { Text as ChartText, type TextProps as ChartTextProps } from 'recharts';
import { skillLabel } from '@modules/scenarios/skills.ts';
import { DateTime } from '../../components/DateTime.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useLocale } from '../../i18n/I18nProvider.tsx';
import type { MessageId } from '../../i18n/message-ids.ts';
import { useT } from '../../i18n/useT.ts';
import { Localized } from '../scenarios/localized.tsx';
import { chartRows } from '../play/chart.ts';
import { teamReportUrl, useTeamReport, type ActivityKind, type TeamReport, type TimelineItem } from './api.ts';
import { Figure, PointsChart, ReportFrame, Section, TableSection } from './parts.tsx';
import { duration, filterTimeline, groupOf, kindGroupIds, pointsOf, skillChart, skillRows, subjectOf, type KindGroup } from './report.ts';

const kindLabel: Record<ActivityKind, MessageId> = {
  evidence_released: 'reports.kind.evidenceReleased',
  evidence_acquired: 'reports.kind.evidenceAcquired',
  answer: 'reports.kind.answer',
  objective_solved: 'reports.kind.objectiveSolved',
  hint_unlocked: 'reports.kind.hintUnlocked',
  inject_received: 'reports.kind.injectReceived',
  announcement: 'reports.kind.announcement',
  score_adjusted: 'reports.kind.scoreAdjusted',
  case_file_saved: 'reports.kind.caseFileSaved',
  case_file_submitted: 'reports.kind.caseFileSubmitted',
  case_file_evaluated: 'reports.kind.caseFileEvaluated',
  legal_request_sent: 'reports.kind.legalRequestSent',
  legal_request_replied: 'reports.kind.legalRequestReplied',
  advice_requested: 'reports.kind.adviceRequested',
  advice_replied: 'reports.kind.adviceReplied',
};

const kindIcon: Record<ActivityKind, typeof IconFiles> = {
  evidence_released: IconFiles,
  evidence_acquired: IconDownload,
  answer: IconSend,
  objective_solved: IconCircleCheck,
  hint_unlocked: IconBulb,
  inject_received: IconSpeakerphone,
  announcement: IconBroadcast,
  score_adjusted: IconPlusMinus,
  case_file_saved: IconDeviceFloppy,
  case_file_submitted: IconFileCertificate,
  case_file_evaluated: IconFileCheck,
  legal_request_sent: IconGavel,
  legal_request_replied: IconScale,
  advice_requested: IconMessageQuestion,
  advice_replied: IconMessageReply,
};

const groupColor: Record<KindGroup, string> = { evidence: 'cyan', answers: 'teal', hints: 'yellow', briefings: 'navy', score: 'gray', caseFile: 'grape', legal: 'orange', advice: 'indigo' };
const groupLabel: Record<KindGroup, MessageId> = {
  evidence: 'reports.group.evidence',
  answers: 'reports.group.answers',
  hints: 'reports.group.hints',
  briefings: 'reports.group.briefings',
  score: 'reports.group.score',
  caseFile: 'reports.group.caseFile',
  legal: 'reports.group.legal',
  advice: 'reports.group.advice',
};

const outcomeLabel: Record<string, { id: MessageId; color: string }> = {
  correct: { id: 'reports.outcome.correct', color: 'teal' },
  partial: { id: 'reports.outcome.partial', color: 'yellow' },
  wrong: { id: 'reports.outcome.wrong', color: 'red' },
  granted: { id: 'reports.outcome.granted', color: 'teal' },
  refused: { id: 'reports.outcome.refused', color: 'red' },
  already_provided: { id: 'reports.outcome.alreadyProvided', color: 'gray' },
  message: { id: 'reports.outcome.message', color: 'indigo' },
  hint: { id: 'reports.outcome.hint', color: 'yellow' },
  penalty: { id: 'reports.outcome.penalty', color: 'red' },
};

const pageSize = 200;

/** A team's after-action report: figures, charts, objectives, case file, replay and downloads. */
export function TeamReportPanel({ exerciseId, teamId }: { exerciseId: string; teamId: string }) {
  const report = useTeamReport(exerciseId, teamId);
  if (report.isPending) return <LoadingState variant="cards" />;
  if (report.error) return <ErrorState error={report.error} onRetry={() => void report.refetch()} />;
  return <TeamReportView report={report.data} onRefresh={() => void report.refetch()} refreshing={report.isFetching} />;
}

function TeamReportView({ report: r, onRefresh, refreshing }: { report: TeamReport; onRefresh: () => void; refreshing: boolean }) {
  const t = useT();
  const intl = useIntl();
  const { dir } = useDirection();
  const { locale } = useLocale();
  const rtl = dir === 'rtl';
  const s = r.summary;
  const scoreRows = useMemo(
    () => chartRows({ series: [{ teamId: r.teamId, points: r.series }], ranking: [{ rank: 1, teamId: r.teamId, teamName: r.teamName, countries: [], score: s.score, solvedCount: s.solved, lastScoreAt: null }] }, r.endedAt ? Date.parse(r.endedAt) : undefined),
    [r, s.score, s.solved],
  );
  const skills = skillRows(r.skills, (slug) => skillLabel(slug, locale));

  return (
    <ReportFrame title={t('reports.team.title', { team: r.teamName })} report={r} url={(format) => teamReportUrl(r.exerciseId, r.teamId, format)} onRefresh={onRefresh} refreshing={refreshing}>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
        <Figure label={t('reports.summary.score')} value={<FormattedNumber value={s.score} />} />
        <Figure label={t('reports.summary.solved')} value={t('reports.summary.ofTotal', { count: s.solved, total: s.objectives })} />
        <Figure label={t('reports.summary.answers')} value={<FormattedNumber value={s.attempts} />} />
        <Figure label={t('reports.summary.hints')} value={<FormattedNumber value={s.hints} />} hint={s.hintPoints > 0 ? t('reports.summary.hintPoints', { points: s.hintPoints }) : undefined} />
        <Figure label={t('reports.summary.advice')} value={<FormattedNumber value={s.adviceRequests} />} />
        <Figure label={t('reports.summary.legal')} value={<FormattedNumber value={s.legalRequests} />} hint={t('reports.summary.legalOutcomes', { granted: s.legalGranted, refused: s.legalRefused })} />
      </SimpleGrid>

      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Section title={t('reports.chart.points')} empty={scoreRows.length < 2 ? t('reports.chart.pointsEmpty') : null} h="100%">
            <PointsChart h={240} rows={scoreRows} series={[{ name: r.teamName, color: 'navy.7' }]} label={t('reports.chart.pointsSummary', { team: r.teamName, score: s.score })} />
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Section title={t('reports.skills.title')} empty={skills.length === 0 ? t('reports.skills.none') : null} h="100%">
            <Box role="img" aria-label={`${t('reports.skills.title')}. ${skills.map((k) => t('reports.skills.summary', { skill: k.label, percent: k.percent })).join('; ')}`}>
              {/* Up to six skills a radar; more are bars, one per line. Labels on two lines at most (the full name on hover). */}
              {skillChart(skills.length) === 'radar' ? (
                <RadarChart
                  h={260}
                  data={skills}
                  dataKey="label"
                  withPolarRadiusAxis={false}
                  withTooltip
                  radarChartProps={{ outerRadius: '68%' }}
                  polarAngleAxisProps={{ tick: (props: SkillTickProps) => <SkillTick {...props} width={104} mirrored={rtl} /> }}
                  series={[{ name: 'percent', label: t('reports.skills.percent'), color: 'teal.6', opacity: 0.35 }]}
                />
              ) : (
                <BarChart
                  h={Math.max(240, skills.length * 30 + 40)}
                  data={skills}
                  dataKey="label"
                  orientation="vertical"
                  yAxisProps={{ width: 180, orientation: rtl ? 'right' : 'left', tick: (props: SkillTickProps) => <SkillTick {...props} width={172} /> }}
                  xAxisProps={{ domain: [0, 100], reversed: rtl }}
                  valueFormatter={(v) => `${intl.formatNumber(v)} %`}
                  series={[{ name: 'percent', label: t('reports.skills.percent'), color: 'teal.6' }]}
                />
              )}
            </Box>
            <Stack gap={2} mt="sm">
              {r.skills.map((k) => (
                <Group key={k.skill} justify="space-between" gap="xs">
                  <Text size="xs">{skillLabel(k.skill, locale)}</Text>
                  <Text size="xs" c="dimmed">
                    {t('reports.skills.detail', { earned: k.pointsEarned, available: k.pointsAvailable, solved: k.solved, total: k.total })}
                  </Text>
                </Group>
              ))}
            </Stack>
          </Section>
        </Grid.Col>
      </Grid>

      <ObjectivesTable report={r} />
      {r.caseFile ? <CaseFileCard caseFile={r.caseFile} /> : null}
      <ReplayTimeline items={r.timeline} />
    </ReportFrame>
  );
}

type SkillTickProps = ChartTextProps & { payload?: { value?: unknown } };

const mirror = { start: 'end', end: 'start', middle: 'middle', inherit: 'inherit' } as const;

/**
 * A skill's axis label wrapped on two lines at most, cut with an ellipsis beyond; the whole name as
 * the label's tooltip. `mirrored`: the radar places its labels for left-to-right text, and in a
 * right-to-left page "start" is the right end, so the anchors are swapped.
 */
function SkillTick({ payload, width, mirrored = false, textAnchor, ...props }: SkillTickProps & { width: number; mirrored?: boolean }) {
  const label = String(payload?.value ?? '');
  return (
    <g>
      <title>{label}</title>
      {/* The size in the style: Recharts measures the words for wrapping with it. */}
      <ChartText {...props} textAnchor={mirrored && textAnchor ? mirror[textAnchor] : textAnchor} width={width} maxLines={2} style={{ fontSize: '12px' }}>
        {label}
      </ChartText>
    </g>
  );
}

function ObjectivesTable({ report: r }: { report: TeamReport }) {
  const t = useT();
  return (
    <TableSection
      title={t('reports.objectives.title')}
      empty={r.objectives.length === 0 ? t('reports.objectives.none') : null}
      minWidth={640}
      head={
        <>
          <Table.Th>{t('reports.objectives.objective')}</Table.Th>
          <Table.Th ta="end">{t('reports.objectives.points')}</Table.Th>
          <Table.Th ta="end">{t('reports.objectives.solvedAt')}</Table.Th>
          <Table.Th ta="end">{t('reports.objectives.timeToSolve')}</Table.Th>
          <Table.Th ta="end">{t('reports.objectives.attempts')}</Table.Th>
          <Table.Th ta="end">{t('reports.objectives.earned')}</Table.Th>
        </>
      }
    >
      {r.objectives.map((o) => (
        <Table.Tr key={o.key}>
          <Table.Td>
            <Group gap="xs" wrap="nowrap" align="flex-start">
              <ThemeIcon size="sm" radius="xl" variant={o.solved ? 'filled' : 'light'} color={o.solved ? 'teal' : o.released ? 'gray' : 'dark'} aria-hidden>
                <IconCircleCheck size={14} />
              </ThemeIcon>
              <Stack gap={0}>
                <Text size="sm" fw={600}>
                  <Ltr mono>{o.key}</Ltr>
                  {!o.released ? (
                    <Badge ms="xs" size="xs" variant="light" color="gray">
                      {t('reports.objectives.notReleased')}
                    </Badge>
                  ) : null}
                </Text>
                <Text size="xs" c="dimmed" lineClamp={2}>
                  <Localized text={o.prompt} />
                </Text>
              </Stack>
            </Group>
          </Table.Td>
          <Table.Td ta="end">
            <FormattedNumber value={o.points} />
          </Table.Td>
          <Table.Td ta="end">
            <Ltr mono>{duration(o.solvedGameSeconds)}</Ltr>
          </Table.Td>
          <Table.Td ta="end">
            <Ltr mono>{duration(o.secondsToSolve)}</Ltr>
          </Table.Td>
          <Table.Td ta="end">
            <FormattedNumber value={o.attempts} />
          </Table.Td>
          <Table.Td ta="end" fw={600}>
            <FormattedNumber value={o.pointsEarned} />
          </Table.Td>
        </Table.Tr>
      ))}
    </TableSection>
  );
}

function CaseFileCard({ caseFile: c }: { caseFile: NonNullable<TeamReport['caseFile']> }) {
  const t = useT();
  const intl = useIntl();
  const percent = (x: number) => intl.formatNumber(x, { style: 'percent', maximumFractionDigits: 0 });
  const ready = c.charges.filter((x) => x.ready).length;
  return (
    <Section
      title={t('reports.caseFile.title')}
      aside={
        <Badge color={c.status === 'submitted' ? 'teal' : 'gray'} variant="light">
          {t(c.status === 'submitted' ? 'reports.caseFile.submitted' : 'reports.caseFile.draft')}
        </Badge>
      }
    >
      <SimpleGrid cols={{ base: 1, sm: c.provisionalReadiness === null ? 2 : 3 }} mb="md">
        <Stack gap={4}>
          <Text size="xs" c="dimmed">
            {t('reports.caseFile.final')}
          </Text>
          {c.readiness === null ? (
            <Text size="sm">{t('reports.caseFile.notFinal')}</Text>
          ) : (
            <>
              <Text fz="xl" fw={700}>
                {percent(c.readiness)}
              </Text>
              <Progress value={c.readiness * 100} color="teal" aria-label={t('reports.caseFile.final')} />
            </>
          )}
        </Stack>
        {c.provisionalReadiness === null ? null : (
          <Stack gap={4}>
            <Text size="xs" c="dimmed">
              {t('reports.caseFile.provisional')}
            </Text>
            <Text fz="xl" fw={700}>
              {percent(c.provisionalReadiness)}
            </Text>
            <Progress value={c.provisionalReadiness * 100} color="navy" aria-label={t('reports.caseFile.provisional')} />
          </Stack>
        )}
        <Stack gap={4}>
          <Text size="xs" c="dimmed">
            {t('reports.caseFile.chargesReady')}
          </Text>
          <Text fz="xl" fw={700}>
            {t('reports.summary.ofTotal', { count: ready, total: c.charges.length })}
          </Text>
          {c.submittedAt ? (
            <Text size="xs" c="dimmed">
              {t('reports.caseFile.submittedAt')} <DateTime value={c.submittedAt} />
            </Text>
          ) : null}
        </Stack>
      </SimpleGrid>
      <Stack gap={6}>
        {c.charges.map((charge) => (
          <Group key={charge.chargeId} justify="space-between" gap="xs" wrap="nowrap">
            <Localized text={charge.title} fz="sm" />
            <Badge color={charge.ready ? 'teal' : 'gray'} variant={charge.ready ? 'filled' : 'light'}>
              {t(charge.ready ? 'reports.caseFile.ready' : 'reports.caseFile.notReady')}
            </Badge>
          </Group>
        ))}
      </Stack>
    </Section>
  );
}

function ReplayTimeline({ items }: { items: TimelineItem[] }) {
  const t = useT();
  const [groups, setGroups] = useState<KindGroup[]>([]);
  const [shown, setShown] = useState(pageSize);
  const present = useMemo(() => new Set(items.map((i) => groupOf(i.kind))), [items]);
  const visible = filterTimeline(items, groups);
  return (
    <Card p="lg">
      <Group justify="space-between" mb="md" align="flex-start">
        <Group gap="xs">
          <IconTimeline size={20} aria-hidden />
          <Title order={3} fz="md">
            {t('reports.timeline.title')}
          </Title>
          <Badge variant="light" color="gray">
            <FormattedNumber value={visible.length} />
          </Badge>
        </Group>
        <Chip.Group multiple value={groups} onChange={(v) => setGroups(v as KindGroup[])}>
          <Group gap={6} role="group" aria-label={t('reports.timeline.filter')}>
            {kindGroupIds
              .filter((g) => present.has(g))
              .map((g) => (
                <Chip key={g} value={g} size="xs" color={groupColor[g]} variant="light">
                  {t(groupLabel[g])}
                </Chip>
              ))}
          </Group>
        </Chip.Group>
      </Group>
      {visible.length === 0 ? (
        <Text size="sm" c="dimmed" ta="center" py="lg">
          {t('reports.timeline.empty')}
        </Text>
      ) : (
        <>
          <Timeline bulletSize={28} lineWidth={2} active={-1}>
            {visible.slice(0, shown).map((item, i) => {
              const Icon = kindIcon[item.kind];
              const group = groupOf(item.kind);
              const subject = subjectOf(item);
              const points = pointsOf(item);
              const outcome = typeof item.details.outcome === 'string' ? item.details.outcome : item.kind === 'advice_replied' && typeof item.details.reply === 'string' ? item.details.reply : null;
              const label = outcome ? outcomeLabel[outcome] : undefined;
              return (
                <Timeline.Item
                  key={`${item.at}-${i}`}
                  bullet={
                    <ThemeIcon radius="xl" size={28} color={groupColor[group]} aria-hidden>
                      <Icon size={15} />
                    </ThemeIcon>
                  }
                >
                  <Group gap="xs" wrap="wrap">
                    <Text size="sm" fw={600}>
                      {t(kindLabel[item.kind])}
                    </Text>
                    {subject ? (
                      <Badge variant="outline" color="gray" size="sm" tt="none">
                        <Ltr mono>{subject}</Ltr>
                      </Badge>
                    ) : null}
                    {label ? (
                      <Badge color={label.color} variant="light" size="sm">
                        {t(label.id)}
                      </Badge>
                    ) : null}
                    {points !== null ? (
                      <Badge color={points > 0 ? 'teal' : 'red'} variant="light" size="sm">
                        <Ltr>{`${points > 0 ? '+' : ''}${points}`}</Ltr>
                      </Badge>
                    ) : null}
                  </Group>
                  <Text size="xs" c="dimmed">
                    <Ltr mono>{duration(item.gameSeconds)}</Ltr> · <DateTime value={item.at} />
                    {item.actor?.displayName ? ` · ${item.actor.displayName}` : ''}
                  </Text>
                </Timeline.Item>
              );
            })}
          </Timeline>
          {visible.length > shown ? (
            <Group justify="center" mt="md">
              <Button variant="subtle" size="xs" onClick={() => setShown((n) => n + pageSize)}>
                {t('reports.timeline.more', { count: visible.length - shown })}
              </Button>
            </Group>
          ) : null}
        </>
      )}
    </Card>
  );
}
