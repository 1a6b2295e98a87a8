import '@mantine/charts/styles.css';
import { useMemo } from 'react';
import { LineChart } from '@mantine/charts';
import { Alert, Badge, Box, Card, Group, Stack, Table, Text, ThemeIcon, Title, useDirection } from '@mantine/core';
import { IconMedal, IconSnowflake, IconTrophy, IconTrophyOff } from '@tabler/icons-react';
import { FormattedNumber, useIntl } from 'react-intl';
import { DateTime, RelativeTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { useT } from '../../i18n/useT.ts';
import { useCountryName } from '../organisations/reference.ts';
import type { Scoreboard } from './api.ts';
import { chartRows } from './chart.ts';

const palette = ['navy.7', 'teal.6', 'orange.6', 'grape.6', 'red.6', 'cyan.6', 'lime.7', 'pink.6', 'indigo.5', 'yellow.7', 'gray.6', 'violet.6'];
const medal = ['yellow.6', 'gray.5', 'orange.7'];

type Query = { data: Scoreboard | undefined; isPending: boolean; error: unknown; refetch: () => unknown };

/** The ranking, the frozen notice, and each team's score over time. */
export function ScoreboardPanel({ scoreboard, myTeamId, objectiveName, live }: { scoreboard: Query & { dataUpdatedAt: number }; myTeamId: string | null; objectiveName: (key: string) => string; live: boolean }) {
  const t = useT();
  const intl = useIntl();
  const { dir } = useDirection();
  const countryName = useCountryName();
  const data = scoreboard.data;
  // The lines run to the freeze, or to now while the exercise goes on.
  const until = data?.frozenAt ? Date.parse(data.frozenAt) : live ? scoreboard.dataUpdatedAt : undefined;
  const rows = useMemo(() => (data ? chartRows(data, until) : []), [data, until]);

  if (scoreboard.isPending) return <LoadingState variant="table" />;
  if (scoreboard.error) return <ErrorState error={scoreboard.error} onRetry={() => void scoreboard.refetch()} />;
  const b = scoreboard.data;
  if (!b) return null;
  if (b.hidden) {
    return (
      <Card>
        <EmptyState icon={<IconTrophyOff aria-hidden />} title={t('play.scoreboard.hiddenTitle')} description={t('play.scoreboard.hidden')} />
      </Card>
    );
  }
  const series = b.ranking.map((r, i) => ({ name: r.teamName, color: palette[i % palette.length] ?? 'gray.6' }));
  const rtl = dir === 'rtl';
  const summary = b.ranking.map((r) => t('play.scoreboard.rowSummary', { rank: r.rank, team: r.teamName, score: r.score })).join('; ');

  return (
    <Stack gap="md">
      {b.frozen ? (
        <Alert color="cyan" icon={<IconSnowflake aria-hidden />} title={t('play.scoreboard.frozenTitle')}>
          {b.frozenAt ? t('play.scoreboard.frozenSince', { time: intl.formatTime(b.frozenAt, { timeStyle: 'short' }) }) : t('play.scoreboard.frozen')}
        </Alert>
      ) : null}
      <Card p={0}>
        <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover aria-label={t('play.scoreboard.ranking')}>
          <Table.Thead bg="var(--mantine-color-gray-0)">
            <Table.Tr>
              <Table.Th w={70}>{t('play.scoreboard.rank')}</Table.Th>
              <Table.Th>{t('play.scoreboard.team')}</Table.Th>
              <Table.Th ta="end">{t('play.scoreboard.solved')}</Table.Th>
              <Table.Th ta="end">{t('play.scoreboard.score')}</Table.Th>
              <Table.Th visibleFrom="sm">{t('play.scoreboard.last')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {b.ranking.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={5}>
                  <Text size="sm" c="dimmed" ta="center" py="md">
                    {t('play.scoreboard.noTeams')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
            {b.ranking.map((r) => {
              const mine = r.teamId === myTeamId;
              return (
                <Table.Tr key={r.teamId} bg={mine ? 'var(--mantine-color-navy-0)' : undefined} aria-current={mine ? 'true' : undefined}>
                  <Table.Td>
                    {r.rank <= 3 && r.score > 0 ? (
                      <Group gap={4} wrap="nowrap">
                        <ThemeIcon size="sm" radius="xl" color={medal[r.rank - 1]} variant="filled" aria-hidden>
                          {r.rank === 1 ? <IconTrophy size={12} /> : <IconMedal size={12} />}
                        </ThemeIcon>
                        <Text fw={700}>
                          <FormattedNumber value={r.rank} />
                        </Text>
                      </Group>
                    ) : (
                      <Text fw={600} c="dimmed">
                        <FormattedNumber value={r.rank} />
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap="xs">
                      <Text fw={600} size="sm">
                        {r.teamName}
                      </Text>
                      {mine ? (
                        <Badge size="xs" color="navy">
                          {t('play.scoreboard.yourTeam')}
                        </Badge>
                      ) : null}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {r.countries.map((c) => countryName(c)).join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="end">
                    <FormattedNumber value={r.solvedCount} />
                  </Table.Td>
                  <Table.Td ta="end">
                    <Text fw={700} size="lg">
                      <FormattedNumber value={r.score} />
                    </Text>
                  </Table.Td>
                  <Table.Td visibleFrom="sm">
                    <Text size="sm" c="dimmed">
                      <RelativeTime value={r.lastScoreAt} fallback="—" />
                    </Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Card>

      <Card p="lg">
        <Title order={3} fz="md" mb={4}>
          {t('play.scoreboard.chartTitle')}
        </Title>
        <Text size="xs" c="dimmed" mb="md">
          {b.frozen ? t('play.scoreboard.chartFrozen') : t('play.scoreboard.chartCaption')}
        </Text>
        {rows.length < 2 ? (
          <Text size="sm" c="dimmed" py="lg" ta="center">
            {t('play.scoreboard.chartEmpty')}
          </Text>
        ) : (
          <Box role="img" aria-label={`${t('play.scoreboard.chartTitle')}. ${summary}`}>
            <LineChart
              h={280}
              data={rows}
              dataKey="time"
              series={series}
              curveType="stepAfter"
              withLegend
              legendProps={{ verticalAlign: 'top', height: 40 }}
              withDots={false}
              strokeWidth={2.5}
              gridAxis="xy"
              tickLine="none"
              xAxisProps={{ type: 'number', scale: 'time', domain: ['dataMin', 'dataMax'], reversed: rtl, tickFormatter: (v: number) => intl.formatTime(v, { timeStyle: 'short' }) }}
              yAxisProps={{ orientation: rtl ? 'right' : 'left', width: 48, allowDecimals: false }}
              tooltipProps={{
                labelFormatter: (v: unknown) => intl.formatTime(Number(v), { timeStyle: 'short' }),
              }}
              valueFormatter={(v) => intl.formatNumber(v)}
            />
          </Box>
        )}
      </Card>

      {b.firstSolves.length > 0 ? (
        <Card p="lg">
          <Title order={3} fz="md" mb="sm">
            {t('play.scoreboard.firstSolves')}
          </Title>
          <Stack gap={6}>
            {b.firstSolves.map((f) => (
              <Group key={f.objectiveKey} gap="xs" justify="space-between">
                <Text size="sm">{t('play.scoreboard.firstSolve', { team: f.teamName, objective: objectiveName(f.objectiveKey) })}</Text>
                <Text size="xs" c="dimmed">
                  <DateTime value={f.solvedAt} />
                </Text>
              </Group>
            ))}
          </Stack>
        </Card>
      ) : null}
    </Stack>
  );
}
