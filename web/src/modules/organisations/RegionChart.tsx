import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Box, Card, Divider, Grid, Group, Skeleton, Stack, Text, ThemeIcon, Title, useDirection } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconBuildingBank, IconMapPin, IconShieldHalf, type Icon } from '@tabler/icons-react';
import { FormattedNumber } from 'react-intl';
import { regions } from '@modules/reference/countries.ts';
import type { Organisation } from '@modules/organisations/schemas.ts';
import { api } from '../../core/api.ts';
import type { Page } from '../../core/table/usePagedQuery.ts';
import { ErrorState } from '../../components/ErrorState.tsx';
import { useT } from '../../i18n/useT.ts';
import { organisationsKey } from './OrganisationSelect.tsx';
import { isRegion, regionLabel } from './reference.ts';

/** How many to read for the overview; beyond that the chart says it is partial. */
const sample = 200;

/** Active organisations per INTERPOL region, split by kind, with a few totals beside. */
export function RegionChart() {
  const t = useT();
  const { dir } = useDirection();
  const all = useQuery({
    queryKey: [...organisationsKey, 'overview'],
    queryFn: ({ signal }) => api.get<Page<Organisation>>('/api/organisations', { query: { pageSize: sample, status: 'active', sort: 'name' }, signal }),
  });

  if (all.error) return <ErrorState error={all.error} onRetry={() => void all.refetch()} />;

  const items = all.data?.items ?? [];
  const counts = regions.map((r) => {
    const here = items.filter((o) => isRegion(o.region) && o.region === r);
    return { region: t(regionLabel[r]), police_unit: here.filter((o) => o.kind === 'police_unit').length, partner: here.filter((o) => o.kind === 'partner').length };
  });
  const police = items.filter((o) => o.kind === 'police_unit').length;
  const partners = items.length - police;
  const countriesCount = new Set(items.map((o) => o.countryCode)).size;
  const summary = counts
    .map((c) => `${c.region}: ${t('organisations.chart.regionSummary', { police: c.police_unit, partners: c.partner })}`)
    .join('; ');
  const rtl = dir === 'rtl';

  return (
    <Card p="lg" mb="md">
      <Grid gap="xl" align="stretch">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap={4} mb="md">
            <Title order={2} fz="md">
              {t('organisations.chart.title')}
            </Title>
            <Text size="xs" c="dimmed">
              {all.data && all.data.total > items.length ? t('organisations.chart.partial', { count: items.length }) : t('organisations.chart.caption')}
            </Text>
          </Stack>
          {all.isPending ? (
            <Skeleton h={200} radius="md" />
          ) : (
            <Box role="img" aria-label={`${t('organisations.chart.title')}. ${summary}`}>
              <BarChart
                h={200}
                data={rtl ? [...counts].reverse() : counts}
                dataKey="region"
                type="stacked"
                withLegend
                legendProps={{ verticalAlign: 'top', height: 36 }}
                tickLine="none"
                gridAxis="y"
                maxBarWidth={48}
                yAxisProps={{ orientation: rtl ? 'right' : 'left', width: 32, allowDecimals: false }}
                xAxisProps={{ interval: 0, tick: { fontSize: 11 } }}
                series={[
                  { name: 'police_unit', label: t('organisations.chart.police'), color: 'navy.7' },
                  { name: 'partner', label: t('organisations.chart.partners'), color: 'teal.5' },
                ]}
              />
            </Box>
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md" h="100%" justify="center">
            <Stat icon={IconShieldHalf} color="navy" label={t('organisations.chart.police')} value={police} loading={all.isPending} />
            <Divider />
            <Stat icon={IconBuildingBank} color="teal" label={t('organisations.chart.partners')} value={partners} loading={all.isPending} />
            <Divider />
            <Stat icon={IconMapPin} color="grape" label={t('organisations.chart.countries')} value={countriesCount} loading={all.isPending} />
          </Stack>
        </Grid.Col>
      </Grid>
    </Card>
  );
}

function Stat({ icon: StatIcon, color, label, value, loading }: { icon: Icon; color: string; label: string; value: number; loading: boolean }) {
  return (
    <Group gap="md" wrap="nowrap">
      <ThemeIcon size={40} radius="md" variant="light" color={color} aria-hidden>
        <StatIcon size={22} stroke={1.7} />
      </ThemeIcon>
      <Stack gap={0}>
        <Text size="xs" c="dimmed" fw={600}>
          {label}
        </Text>
        {loading ? (
          <Skeleton h={24} w={48} mt={4} />
        ) : (
          <Text fz={24} fw={700} lh={1.2}>
            <FormattedNumber value={value} />
          </Text>
        )}
      </Stack>
    </Group>
  );
}
