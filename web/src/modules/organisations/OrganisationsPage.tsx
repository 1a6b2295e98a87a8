import { lazy, Suspense, useRef, useState } from 'react';
import { Anchor, Badge, Button, Card, DataList, Divider, Drawer, Group, Modal, Select, SimpleGrid, Skeleton, Stack, Text, Title, useDirection } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconBuildingCommunity, IconPlus } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { FormattedMessage, FormattedNumber } from 'react-intl';
import { Link, useSearchParams } from 'react-router';
import { organisationKinds, type Organisation } from '@modules/organisations/schemas.ts';
import { api, seg } from '../../core/api.ts';
import { useCan } from '../../core/session.ts';
import { DataTable } from '../../core/table/DataTable.tsx';
import { usePagedQuery } from '../../core/table/usePagedQuery.ts';
import { useTableState, filterSelectProps } from '../../core/table/useTableState.ts';
import { DateOnly, DateTime } from '../../components/DateTime.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useT.ts';
import { FiltersPanel, SearchFilter } from '../users/admin-ui.tsx';
import { OrganisationForm } from './OrganisationForm.tsx';
import { organisationsKey } from './OrganisationSelect.tsx';
import { countryFilter, isRegion, kindLabel, regionLabel, sectorLabel, unitTypeLabel, useCountryName, useCountryOptions } from './reference.ts';

// The chart library is large: the table does not wait for it.
const RegionChart = lazy(() => import('./RegionChart.tsx').then((m) => ({ default: m.RegionChart })));

const filters = ['search', 'kind', 'countryCode', 'status'] as const;
const noFilters = { search: null, kind: null, countryCode: null, status: null };

const statusColor: Record<Organisation['status'], string> = { active: 'teal', archived: 'gray' };

export default function OrganisationsPage() {
  const t = useT();
  const can = useCan();
  const manage = can('organisations.manage');
  const { dir } = useDirection();
  const countryName = useCountryName();
  const countryOptions = useCountryOptions();
  const table = useTableState({ defaultSort: 'name', filters });
  const list = usePagedQuery<Organisation>([...organisationsKey, 'list'], '/api/organisations', table);
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);

  const openOrganisation = (id: string | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (id) next.set('organisation', id);
      else next.delete('organisation');
      return next;
    });

  const filtered = filters.some((f) => table.filters[f]);
  const total = list.data?.total;

  const columns: DataTableColumn<Organisation>[] = [
    {
      accessor: 'name',
      title: t('organisations.col.name'),
      sortable: true,
      render: (o) => (
        <Anchor component="button" type="button" size="sm" fw={600} c="inherit" ta="start" onClick={() => openOrganisation(o.id)} aria-label={t('organisations.openNamed', { name: o.name })}>
          <bdi>{o.name}</bdi>
        </Anchor>
      ),
    },
    {
      accessor: 'kind',
      title: t('organisations.col.kind'),
      render: (o) => (
        <Badge color={o.kind === 'police_unit' ? 'navy' : 'teal'} miw="max-content">
          {t(kindLabel[o.kind])}
        </Badge>
      ),
    },
    {
      accessor: 'countryCode',
      title: t('organisations.col.country'),
      sortable: true,
      render: (o) => (
        <Group gap={6} wrap="nowrap">
          <Text size="sm">{countryName(o.countryCode)}</Text>
          <Text size="xs" c="dimmed" ff="monospace">
            <Ltr>{o.countryCode}</Ltr>
          </Text>
        </Group>
      ),
    },
    {
      accessor: 'region',
      title: t('organisations.col.region'),
      render: (o) => (isRegion(o.region) ? t(regionLabel[o.region]) : '—'),
    },
    {
      accessor: 'unitType',
      title: t('organisations.col.typeOrSector'),
      render: (o) => (o.unitType ? t(unitTypeLabel[o.unitType]) : o.sector ? t(sectorLabel[o.sector]) : '—'),
    },
    {
      accessor: 'memberCount',
      title: t('organisations.col.members'),
      textAlign: dir === 'rtl' ? 'left' : 'right',
      render: (o) => <FormattedNumber value={o.memberCount} />,
    },
    {
      accessor: 'status',
      title: t('organisations.col.status'),
      render: (o) => (
        <Badge color={statusColor[o.status]} miw="max-content">
          {t(`organisations.status.${o.status}`)}
        </Badge>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('organisations.title')}
        description={t('organisations.subtitle')}
        actions={
          manage ? (
            <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setCreating(true)}>
              {t('organisations.create')}
            </Button>
          ) : null
        }
      />

      <Suspense
        fallback={
          <Card p="lg" mb="md">
            <Skeleton h={248} radius="md" />
          </Card>
        }
      >
        <RegionChart />
      </Suspense>

      <FiltersPanel
        summary={total !== undefined ? t('organisations.count', { count: total }) : null}
        onClear={filtered ? () => table.setFilters(noFilters) : undefined}
        clearLabel={t('organisations.filter.clear')}
      >
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
          <SearchFilter
            label={t('organisations.filter.search')}
            placeholder={t('organisations.filter.searchPlaceholder')}
            clearLabel={t('organisations.filter.clearSearch')}
            value={table.filters.search}
            onChange={(v) => table.setFilter('search', v)}
          />
          <Select
            label={t('organisations.filter.kind')}
            placeholder={t('organisations.filter.allKinds')}
            data={organisationKinds.map((k) => ({ value: k, label: t(kindLabel[k]) }))}
            {...filterSelectProps(table, 'kind', t('organisations.filter.clearKind'))}
          />
          <Select
            label={t('organisations.filter.country')}
            placeholder={t('organisations.filter.allCountries')}
            data={countryOptions}
            searchable
            filter={countryFilter}
            nothingFoundMessage={t('organisations.form.noCountry')}
            maxDropdownHeight={280}
            {...filterSelectProps(table, 'countryCode', t('organisations.filter.clearCountry'))}
          />
          <Select
            label={t('organisations.filter.status')}
            placeholder={t('organisations.filter.allStatuses')}
            data={[
              { value: 'active', label: t('organisations.status.active') },
              { value: 'archived', label: t('organisations.status.archived') },
            ]}
            {...filterSelectProps(table, 'status', t('organisations.filter.clearStatus'))}
          />
        </SimpleGrid>
      </FiltersPanel>

      <DataTable<Organisation>
        label={t('organisations.title')}
        columns={columns}
        table={table}
        query={list}
        tableProps={{ horizontalSpacing: 'sm', onRowClick: ({ record, event }) => !(event.target as HTMLElement).closest('button, a') && openOrganisation(record.id) }}
        empty={
          filtered
            ? {
                icon: <IconBuildingCommunity aria-hidden />,
                title: t('organisations.empty.filteredTitle'),
                description: t('organisations.empty.filteredDescription'),
                action: (
                  <Button variant="light" onClick={() => table.setFilters(noFilters)}>
                    {t('organisations.filter.clear')}
                  </Button>
                ),
              }
            : {
                icon: <IconBuildingCommunity aria-hidden />,
                title: t('organisations.empty.title'),
                description: manage ? t('organisations.empty.description') : undefined,
              }
        }
      />

      <Modal
        opened={creating}
        onClose={() => setCreating(false)}
        title={t('organisations.create.title')}
        size="lg"
        closeOnClickOutside={false}
        closeButtonProps={{ 'aria-label': t('common.action.close') }}
      >
        <OrganisationForm organisation={null} onCancel={() => setCreating(false)} onDone={() => setCreating(false)} />
      </Modal>

      <OrganisationDrawer id={params.get('organisation')} manage={manage} onClose={() => openOrganisation(null)} />
    </>
  );
}

function OrganisationDrawer({ id, manage, onClose }: { id: string | null; manage: boolean; onClose: () => void }) {
  const t = useT();
  const last = useRef(id);
  if (id) last.current = id;
  const shown = id ?? last.current;
  const one = useQuery({
    queryKey: [...organisationsKey, 'one', shown],
    queryFn: ({ signal }) => api.get<Organisation>(`/api/organisations/${seg(shown ?? '')}`, { signal }),
    enabled: Boolean(shown),
  });

  return (
    <Drawer
      opened={Boolean(id)}
      onClose={onClose}
      // Mantine mirrors the side in right-to-left pages: the drawer opens from the end.
      position="right"
      size="lg"
      title={t('organisations.detail.title')}
      closeButtonProps={{ 'aria-label': t('common.action.close') }}
      styles={{ title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {one.isPending ? (
        <LoadingState variant="form" rows={4} />
      ) : one.error ? (
        <ErrorState error={one.error} onRetry={() => void one.refetch()} />
      ) : one.data ? (
        <OrganisationDetail key={`${one.data.id}-${one.data.updatedAt}`} organisation={one.data} manage={manage} onClose={onClose} />
      ) : null}
    </Drawer>
  );
}

function OrganisationDetail({ organisation: o, manage, onClose }: { organisation: Organisation; manage: boolean; onClose: () => void }) {
  const t = useT();
  const can = useCan();
  const members = <FormattedMessage id="organisations.detail.members" values={{ count: o.memberCount }} />;
  const countryName = useCountryName();
  return (
    <Stack gap="lg">
      <Stack gap={6}>
        <Title order={2} fz="xl">
          {o.name}
        </Title>
        <Group gap={6}>
          <Badge color={o.kind === 'police_unit' ? 'navy' : 'teal'}>{t(kindLabel[o.kind])}</Badge>
          <Badge color={statusColor[o.status]}>{t(`organisations.status.${o.status}`)}</Badge>
        </Group>
      </Stack>
      <DataList orientation="horizontal" size="sm" labelWidth={170} withDivider>
        {/* Managers see country and creation date in the form below. */}
        {manage ? null : (
          <>
            <DataList.Item>
              <DataList.ItemLabel>{t('organisations.col.country')}</DataList.ItemLabel>
              <DataList.ItemValue>
                {countryName(o.countryCode)}
                {isRegion(o.region) ? (
                  <Text span c="dimmed" size="sm">
                    {' · '}
                    {t(regionLabel[o.region])}
                  </Text>
                ) : null}
              </DataList.ItemValue>
            </DataList.Item>
            {o.kind === 'police_unit' ? (
              <DataList.Item>
                <DataList.ItemLabel>{t('organisations.form.established')}</DataList.ItemLabel>
                <DataList.ItemValue>
                  <DateOnly value={o.unitEstablishedOn} fallback={t('organisations.detail.unknown')} />
                </DataList.ItemValue>
              </DataList.Item>
            ) : null}
          </>
        )}
        <DataList.Item>
          <DataList.ItemLabel>{t('organisations.col.members')}</DataList.ItemLabel>
          <DataList.ItemValue>
            {can('users.read') ? (
              <Anchor component={Link} to={`/admin/users?organisationId=${encodeURIComponent(o.id)}`} size="sm">
                {members}
              </Anchor>
            ) : (
              members
            )}
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>{t('organisations.detail.created')}</DataList.ItemLabel>
          <DataList.ItemValue>
            <DateTime value={o.createdAt} />
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>{t('organisations.detail.updated')}</DataList.ItemLabel>
          <DataList.ItemValue>
            <DateTime value={o.updatedAt} />
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
      {manage ? (
        <>
          <Divider />
          <Title order={3} fz="md">
            {t('organisations.edit.title')}
          </Title>
          <OrganisationForm organisation={o} onCancel={onClose} onDone={() => undefined} />
        </>
      ) : null}
    </Stack>
  );
}
