import { useState } from 'react';
import { Anchor, Badge, Button, Group, Select, SimpleGrid, Stack, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { IconShieldCheck, IconShieldOff, IconUserPlus, IconUsers } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useSearchParams } from 'react-router';
import { roles } from '@modules/accounts/roles.ts';
import { userStatuses, type UserSummary } from '@modules/users/schemas.ts';
import { useCan } from '../../core/session.ts';
import { DataTable } from '../../core/table/DataTable.tsx';
import { usePagedQuery } from '../../core/table/usePagedQuery.ts';
import { useTableState, filterSelectProps } from '../../core/table/useTableState.ts';
import { RelativeTime } from '../../components/DateTime.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { roleLabel } from '../../components/RoleBadges.tsx';
import { useT } from '../../i18n/useT.ts';
import { OrganisationSelect } from '../organisations/OrganisationSelect.tsx';
import { useCountryName } from '../organisations/reference.ts';
import { FiltersPanel, LtrTruncate, SearchFilter } from './admin-ui.tsx';
import { statusColor, statusLabel, usersKey } from './api.ts';
import { CreateUserModal } from './CreateUserModal.tsx';
import { UserDrawer } from './UserDrawer.tsx';

const filters = ['search', 'role', 'organisationId', 'status'] as const;

export default function UsersPage() {
  const t = useT();
  const can = useCan();
  const manage = can('users.manage');
  const countryName = useCountryName();
  const table = useTableState({ defaultSort: 'displayName', filters });
  const users = usePagedQuery<UserSummary>(usersKey, '/api/users', table);
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);

  const openUser = (id: string | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (id) next.set('user', id);
      else next.delete('user');
      return next;
    });

  const filtered = filters.some((f) => table.filters[f]);
  const total = users.data?.total;

  const columns: DataTableColumn<UserSummary>[] = [
    {
      accessor: 'displayName',
      title: t('users.col.name'),
      sortable: true,
      render: (u) => (
        <Stack gap={0} maw={260}>
          <Anchor component="button" type="button" size="sm" fw={600} c="inherit" ta="start" onClick={() => openUser(u.id)} aria-label={t('users.openNamed', { name: u.displayName })}>
            {u.displayName}
          </Anchor>
          <LtrTruncate size="xs" c="dimmed" maw={260}>
            {u.email}
          </LtrTruncate>
        </Stack>
      ),
    },
    {
      accessor: 'organisation.name',
      title: t('users.col.organisation'),
      render: (u) => (
        <Stack gap={0} maw={210}>
          <Text size="sm">
            <bdi>{u.organisation.name}</bdi>
          </Text>
          <Text size="xs" c="dimmed">
            {countryName(u.organisation.countryCode)}
          </Text>
        </Stack>
      ),
    },
    {
      accessor: 'roles',
      title: t('users.col.roles'),
      render: (u) => (
        <Group gap={4}>
          {u.roles.map((r) => (
            <Badge key={r} color={r === 'administrator' ? 'navy' : 'gray'} miw="max-content">
              {t(roleLabel[r])}
            </Badge>
          ))}
        </Group>
      ),
    },
    {
      accessor: 'status',
      title: t('users.col.status'),
      render: (u) => (
        <Badge color={statusColor[u.status]} miw="max-content">
          {t(statusLabel[u.status])}
        </Badge>
      ),
    },
    {
      accessor: 'totpEnabled',
      // Short visible title ("2FA"), the full words for screen readers.
      title: (
        <Tooltip label={t('users.col.twoFactorFull')}>
          <span>
            <span aria-hidden>{t('users.col.twoFactor')}</span>
            <span className="visually-hidden">{t('users.col.twoFactorFull')}</span>
          </span>
        </Tooltip>
      ),
      textAlign: 'center',
      render: (u) => (
        <Tooltip label={t(u.totpEnabled ? 'users.twoFactor.enabled' : 'users.twoFactor.disabled')}>
          <ThemeIcon variant="light" color={u.totpEnabled ? 'teal' : 'gray'} size={26} radius="xl">
            {u.totpEnabled ? <IconShieldCheck size={16} aria-hidden /> : <IconShieldOff size={16} aria-hidden />}
            <span className="visually-hidden">{t(u.totpEnabled ? 'users.twoFactor.enabled' : 'users.twoFactor.disabled')}</span>
          </ThemeIcon>
        </Tooltip>
      ),
    },
    {
      accessor: 'lastSignInAt',
      title: t('users.col.lastSignIn'),
      sortable: true,
      noWrap: true,
      render: (u) => (
        <Text size="sm" span>
          <RelativeTime value={u.lastSignInAt} fallback={<Text span size="sm" c="dimmed">{t('users.never')}</Text>} />
        </Text>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('users.title')}
        description={t('users.subtitle')}
        actions={
          manage ? (
            <Button leftSection={<IconUserPlus size={18} aria-hidden />} onClick={() => setCreating(true)}>
              {t('users.create')}
            </Button>
          ) : null
        }
      />

      <FiltersPanel
        summary={total !== undefined ? t('users.count', { count: total }) : null}
        onClear={filtered ? () => table.setFilters({ search: null, role: null, organisationId: null, status: null }) : undefined}
        clearLabel={t('users.filter.clear')}
      >
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
          <SearchFilter
            label={t('users.filter.search')}
            placeholder={t('users.filter.searchPlaceholder')}
            clearLabel={t('users.filter.clearSearch')}
            value={table.filters.search}
            onChange={(v) => table.setFilter('search', v)}
          />
          <Select
            label={t('users.filter.role')}
            placeholder={t('users.filter.allRoles')}
            data={roles.map((r) => ({ value: r, label: t(roleLabel[r]) }))}
            {...filterSelectProps(table, 'role', t('users.filter.clearRole'))}
          />
          <OrganisationSelect
            label={t('users.filter.organisation')}
            placeholder={t('users.filter.allOrganisations')}
            value={table.filters.organisationId}
            onChange={(v) => table.setFilter('organisationId', v)}
            clearable
            clearButtonProps={{ 'aria-label': t('users.filter.clearOrganisation') }}
          />
          <Select
            label={t('users.filter.status')}
            placeholder={t('users.filter.allStatuses')}
            data={userStatuses.map((s) => ({ value: s, label: t(statusLabel[s]) }))}
            {...filterSelectProps(table, 'status', t('users.filter.clearStatus'))}
          />
        </SimpleGrid>
      </FiltersPanel>

      <DataTable<UserSummary>
        label={t('users.title')}
        columns={columns}
        table={table}
        query={users}
        tableProps={{ horizontalSpacing: 'sm', onRowClick: ({ record, event }) => !(event.target as HTMLElement).closest('button, a') && openUser(record.id) }}
        empty={
          filtered
            ? {
                icon: <IconUsers aria-hidden />,
                title: t('users.empty.filteredTitle'),
                description: t('users.empty.filteredDescription'),
                action: (
                  <Button variant="light" onClick={() => table.setFilters({ search: null, role: null, organisationId: null, status: null })}>
                    {t('users.filter.clear')}
                  </Button>
                ),
              }
            : {
                icon: <IconUsers aria-hidden />,
                title: t('users.empty.title'),
                description: manage ? t('users.empty.description') : undefined,
                action: manage ? (
                  <Button leftSection={<IconUserPlus size={18} aria-hidden />} onClick={() => setCreating(true)}>
                    {t('users.create')}
                  </Button>
                ) : undefined,
              }
        }
      />

      {manage ? <CreateUserModal opened={creating} onClose={() => setCreating(false)} onOpenUser={(id) => openUser(id)} /> : null}
      <UserDrawer id={params.get('user')} onClose={() => openUser(null)} />
    </>
  );
}
