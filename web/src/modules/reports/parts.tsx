import { LineChart } from '@mantine/charts';
import { ActionIcon, Box, Button, Card, Group, Stack, Table, Text, Title, Tooltip, useDirection } from '@mantine/core';
import { IconClockPause, IconFileTypeCsv, IconFileTypePdf, IconJson, IconRefresh } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useIntl } from 'react-intl';
import { DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { useT } from '../../i18n/useT.ts';

// The pieces the team's and the exercise's report pages are both made of.

type Format = 'pdf' | 'csv' | 'json';

export function DownloadButtons({ url }: { url: (format: Format) => string }) {
  const t = useT();
  return (
    <Group gap="xs">
      <Button component="a" href={url('pdf')} download size="xs" leftSection={<IconFileTypePdf size={16} aria-hidden />}>
        {t('reports.download.pdf')}
      </Button>
      <Button component="a" href={url('csv')} download size="xs" variant="light" leftSection={<IconFileTypeCsv size={16} aria-hidden />}>
        {t('reports.download.csv')}
      </Button>
      <Button component="a" href={url('json')} download size="xs" variant="light" leftSection={<IconJson size={16} aria-hidden />}>
        {t('reports.download.json')}
      </Button>
    </Group>
  );
}

/**
 * A report page: its title, when it was generated, refresh and downloads; then its
 * contents, or a notice while the exercise has not started.
 */
export function ReportFrame(props: { title: string; report: { generatedAt: string; startedAt: string | null }; url: (format: Format) => string; onRefresh: () => void; refreshing: boolean; children: ReactNode }) {
  const t = useT();
  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2} fz="lg">
            {props.title}
          </Title>
          <Text size="xs" c="dimmed">
            {t('reports.generated')} <DateTime value={props.report.generatedAt} />
          </Text>
        </Stack>
        <Group gap="xs">
          <Tooltip label={t('reports.refresh')}>
            <ActionIcon variant="subtle" onClick={props.onRefresh} loading={props.refreshing} aria-label={t('reports.refresh')}>
              <IconRefresh size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
          <DownloadButtons url={props.url} />
        </Group>
      </Group>
      {props.report.startedAt ? (
        props.children
      ) : (
        <Card>
          <EmptyState icon={<IconClockPause aria-hidden />} title={t('reports.notStarted.title')} description={t('reports.notStarted.description')} />
        </Card>
      )}
    </Stack>
  );
}

export function Figure({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <Card p="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fz="xl" fw={700}>
        {value}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Card>
  );
}

function Heading({ title, icon, aside, ...spacing }: { title: string; icon?: ReactNode; aside?: ReactNode; p?: string; pb?: string; mb?: string }) {
  const text = (
    <Title order={3} fz="md">
      {title}
    </Title>
  );
  if (!icon && !aside) return <Box {...spacing}>{text}</Box>;
  return (
    <Group justify="space-between" gap="xs" {...spacing}>
      <Group gap="xs">
        {icon}
        {text}
      </Group>
      {aside}
    </Group>
  );
}

/** A titled card of a report; with `empty`, that line instead of its contents. */
export function Section({ title, icon, aside, empty, h, children }: { title: string; icon?: ReactNode; aside?: ReactNode; empty?: string | null; h?: string; children: ReactNode }) {
  return (
    <Card p="lg" h={h}>
      <Heading title={title} icon={icon} aside={aside} mb="sm" />
      {empty ? (
        <Text size="sm" c="dimmed" ta="center" py="lg">
          {empty}
        </Text>
      ) : (
        children
      )}
    </Card>
  );
}

/** A titled card holding a table from edge to edge: `head` its header cells, `children` its rows. */
export function TableSection({ title, icon, empty, minWidth, head, children }: { title: string; icon?: ReactNode; empty?: string | null; minWidth: number; head: ReactNode; children: ReactNode }) {
  return (
    <Card p={0}>
      <Heading title={title} icon={icon} p="md" pb="xs" />
      {empty ? (
        <Text size="sm" c="dimmed" ta="center" pb="lg">
          {empty}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={minWidth}>
          <Table verticalSpacing="xs" highlightOnHover aria-label={title}>
            <Table.Thead bg="var(--mantine-color-gray-0)">
              <Table.Tr>{head}</Table.Tr>
            </Table.Thead>
            <Table.Tbody>{children}</Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}

/** Points over the exercise's time, one stepped line per team (rows from `chartRows`). */
export function PointsChart({ rows, series, label, h, legend = false }: { rows: Array<Record<string, number>>; series: Array<{ name: string; color: string }>; label: string; h: number; legend?: boolean }) {
  const intl = useIntl();
  const { dir } = useDirection();
  const rtl = dir === 'rtl';
  return (
    <Box role="img" aria-label={label}>
      <LineChart
        h={h}
        data={rows}
        dataKey="time"
        series={series}
        curveType="stepAfter"
        withLegend={legend}
        legendProps={legend ? { verticalAlign: 'top', height: 40 } : undefined}
        withDots={false}
        strokeWidth={2.5}
        tickLine="none"
        xAxisProps={{ type: 'number', scale: 'time', domain: ['dataMin', 'dataMax'], reversed: rtl, tickFormatter: (v: number) => intl.formatTime(v, { timeStyle: 'short' }) }}
        yAxisProps={{ orientation: rtl ? 'right' : 'left', width: 48, allowDecimals: false }}
        tooltipProps={{ labelFormatter: (v: unknown) => intl.formatTime(Number(v), { timeStyle: 'short' }) }}
        valueFormatter={(v) => intl.formatNumber(v)}
      />
    </Box>
  );
}
