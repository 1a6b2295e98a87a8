import { Anchor, Badge, Button, Group, Select, SimpleGrid, Text } from '@mantine/core';
import { IconArrowsJoin } from '@tabler/icons-react';
import { IconFileOff, IconPlus, IconSearch, IconShare } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { FormattedNumber } from 'react-intl';
import { Link } from 'react-router';
import { regions, type Region } from '@modules/reference/countries.ts';
import { crimeTypes, tlpLevels } from '@modules/sharing/schemas.ts';
import { useCan } from '../../core/session.ts';
import { DataTable } from '../../core/table/DataTable.tsx';
import { usePagedQuery } from '../../core/table/usePagedQuery.ts';
import { useTableState, filterSelectProps } from '../../core/table/useTableState.ts';
import { DateTime } from '../../components/DateTime.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useT.ts';
import { regionLabel } from '../organisations/reference.ts';
import { FiltersPanel } from '../users/admin-ui.tsx';
import { crimeTypeLabel, sharingKey, TlpBadge, tlpName, type ReportSummary } from './labels.tsx';
import { useUnreadCorrelations } from './CorrelationsPage.tsx';

const filters = ['tlp', 'crimeType', 'region'] as const;
const noFilters = { tlp: null, crimeType: null, region: null };

export default function ReportsPage() {
  const t = useT();
  const can = useCan();
  const table = useTableState({ defaultSort: '-createdAt', filters });
  const list = usePagedQuery<ReportSummary>([...sharingKey, 'reports'], '/api/sharing/reports', table);
  const filtered = filters.some((f) => table.filters[f]);
  const unread = useUnreadCorrelations().data?.unread ?? 0;

  const columns: DataTableColumn<ReportSummary>[] = [
    { accessor: 'tlp', title: t('sharing.col.tlp'), render: (r) => <TlpBadge tlp={r.tlp} /> },
    {
      accessor: 'title',
      title: t('sharing.col.title'),
      render: (r) => (
        <Anchor component={Link} to={`/sharing/reports/${encodeURIComponent(r.id)}`} fw={600} size="sm">
          <bdi>{r.title}</bdi>
        </Anchor>
      ),
    },
    { accessor: 'crimeType', title: t('sharing.col.crimeType'), render: (r) => t(crimeTypeLabel[r.crimeType]) },
    {
      accessor: 'regions',
      title: t('sharing.col.regions'),
      render: (r) =>
        r.regions.length === 0 ? (
          <Text size="sm" c="dimmed">—</Text>
        ) : (
          <Group gap={4}>
            {r.regions.map((g) => (
              <Badge key={g} variant="light" color="gray" tt="none" miw="max-content">
                {t(regionLabel[g])}
              </Badge>
            ))}
          </Group>
        ),
    },
    { accessor: 'confidence', title: t('sharing.col.confidence'), render: (r) => <FormattedNumber value={r.confidence / 100} style="percent" /> },
    { accessor: 'reporter', title: t('sharing.col.reporter'), render: (r) => <bdi>{r.reporter.organisationName}</bdi> },
    { accessor: 'createdAt', title: t('sharing.col.created'), sortable: true, render: (r) => <DateTime value={r.createdAt} /> },
  ];

  return (
    <>
      <PageHeader
        title={t('sharing.title')}
        description={t('sharing.subtitle')}
        actions={
          <Group gap="sm">
            <Button
              component={Link}
              to="/sharing/correlations"
              variant="default"
              leftSection={<IconArrowsJoin size={18} aria-hidden />}
              rightSection={unread > 0 ? <Badge size="sm" circle={unread < 10} aria-label={t('sharing.correlations.unreadCount', { count: unread })}>{unread}</Badge> : null}
            >
              {t('sharing.correlations.nav')}
            </Button>
            <Button component={Link} to="/sharing/search" variant="default" leftSection={<IconSearch size={18} aria-hidden />}>
              {t('sharing.search.nav')}
            </Button>
            {can('sharing.report') ? (
              <Button component={Link} to="/sharing/reports/new" leftSection={<IconPlus size={18} aria-hidden />}>
                {t('sharing.new.action')}
              </Button>
            ) : null}
          </Group>
        }
      />
      <FiltersPanel summary={list.data ? t('sharing.reports.count', { count: list.data.total }) : null} onClear={filtered ? () => table.setFilters(noFilters) : undefined} clearLabel={t('sharing.filter.clear')}>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <Select
            label={t('sharing.filter.tlp')}
            placeholder={t('sharing.filter.all')}
            data={tlpLevels.map((l) => ({ value: l, label: tlpName[l] }))}
            {...filterSelectProps(table, 'tlp', t('sharing.filter.clearTlp'))}
          />
          <Select
            label={t('sharing.filter.crimeType')}
            placeholder={t('sharing.filter.all')}
            data={crimeTypes.map((c) => ({ value: c, label: t(crimeTypeLabel[c]) }))}
            {...filterSelectProps(table, 'crimeType', t('sharing.filter.clearCrimeType'))}
          />
          <Select
            label={t('sharing.filter.region')}
            placeholder={t('sharing.filter.all')}
            data={regions.map((r: Region) => ({ value: r, label: t(regionLabel[r]) }))}
            {...filterSelectProps(table, 'region', t('sharing.filter.clearRegion'))}
          />
        </SimpleGrid>
      </FiltersPanel>
      <DataTable<ReportSummary>
        label={t('sharing.title')}
        columns={columns}
        table={table}
        query={list}
        tableProps={{ horizontalSpacing: 'sm' }}
        empty={
          filtered
            ? {
                icon: <IconFileOff aria-hidden />,
                title: t('sharing.empty.filteredTitle'),
                description: t('sharing.empty.filteredDescription'),
                action: (
                  <Button variant="light" onClick={() => table.setFilters(noFilters)}>
                    {t('sharing.filter.clear')}
                  </Button>
                ),
              }
            : { icon: <IconShare aria-hidden />, title: t('sharing.empty.title'), description: t('sharing.empty.description') }
        }
      />
    </>
  );
}
