import { useState } from 'react';
import { Anchor, Avatar, Badge, Button, Group, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconUserPlus, IconUsers } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useSearchParams } from 'react-router';
import { roles } from '@modules/accounts/roles.ts';
import { userStatuses, type UserSummary } from '@modules/users/schemas.ts';
import { initialsOf } from '../../app/layout/UserMenu.tsx';
import { useCan } from '../../core/session.ts';
import { DataTable } from '../../core/table/DataTable.tsx';
import { usePagedQuery } from '../../core/table/usePagedQuery.ts';
import { useTableState } from '../../core/table/useTableState.ts';
import { RelativeTime } from '../../components/DateTime.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { RoleBadges, roleLabel } from '../../components/RoleBadges.tsx';
import { useT } from '../../i18n/useT.ts';
import { OrganisationSelect } from '../organisations/OrganisationSelect.tsx';
import { useCountryName } from '../organisations/reference.ts';
import { FiltersPanel, SearchFilter } from './admin-ui.tsx';
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
        <Group gap="sm" wrap="nowrap">
          <Avatar size={32} radius="xl" color={u.status === 'active' ? 'navy' : 'gray'} aria-hidden>
            {initialsOf(u.displayName)}
          </Avatar>
          <Anchor component="button" type="button" size="sm" fw={600} c="inherit" ta="start" onClick={() => openUser(u.id)} aria-label={t('users.openNamed', { name: u.displayName })}>
            {u.displayName}
          </Anchor>
        </Group>
      ),
    },
    {
      accessor: 'email',
      title: t('users.col.email'),
      sortable: true,
      render: (u) => (
        <Text size="sm" c="dimmed" truncate maw={240}>
          <Ltr>{u.email}</Ltr>
        </Text>
      ),
    },
    {
      accessor: 'organisation.name',
      title: t('users.col.organisation'),
      render: (u) => (
        <Stack gap={0} maw={240}>
          <Text size="sm" truncate>
            {u.organisation.name}
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
          <RoleBadges roles={u.roles} />
        </Group>
      ),
    },
    {
      accessor: 'status',
      title: t('users.col.status'),
      render: (u) => <Badge color={statusColor[u.status]}>{t(statusLabel[u.status])}</Badge>,
    },
    {
      accessor: 'totpEnabled',
      title: t('users.col.twoFactor'),
      render: (u) =>
        u.totpEnabled ? (
          <Badge color="teal" variant="dot">
            {t('users.twoFactor.on')}
          </Badge>
        ) : (
          <Badge color="gray" variant="dot">
            {t('users.twoFactor.off')}
          </Badge>
        ),
    },
    {
      accessor: 'lastSignInAt',
      title: t('users.col.lastSignIn'),
      sortable: true,
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
            value={table.filters.role ?? null}
            onChange={(v) => table.setFilter('role', v)}
            clearable
            clearButtonProps={{ 'aria-label': t('users.filter.clearRole') }}
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
            value={table.filters.status ?? null}
            onChange={(v) => table.setFilter('status', v)}
            clearable
            clearButtonProps={{ 'aria-label': t('users.filter.clearStatus') }}
          />
        </SimpleGrid>
      </FiltersPanel>

      <DataTable<UserSummary>
        label={t('users.title')}
        columns={columns}
        table={table}
        query={users}
        tableProps={{ onRowClick: ({ record, event }) => !(event.target as HTMLElement).closest('button, a') && openUser(record.id) }}
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
