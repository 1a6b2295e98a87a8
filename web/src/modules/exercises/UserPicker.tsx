import { useState } from 'react';
import { Group, Select, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { IconSearch } from '@tabler/icons-react';
import type { UserSummary } from '@modules/users/schemas.ts';
import type { Role } from '@modules/accounts/roles.ts';
import { api } from '../../core/api.ts';
import type { Page } from '../../core/table/usePagedQuery.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { useCountryName } from '../organisations/reference.ts';

type Props = {
  label: string;
  description?: string;
  /** Only users with this role. */
  role?: Role;
  /** Users not to offer (already members, already staff). */
  exclude?: ReadonlySet<string>;
  value: string | null;
  onChange: (userId: string | null, user: UserSummary | null) => void;
  error?: string | null;
};

/** Finds an active user by name or e-mail address, searching on the server as the user types. */
export function UserPicker({ label, description, role, exclude, value, onChange, error }: Props) {
  const t = useT();
  const countryName = useCountryName();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 300);
  const users = useQuery({
    queryKey: ['users', 'picker', role ?? null, debounced],
    queryFn: ({ signal }) => api.get<Page<UserSummary>>('/api/users', { query: { search: debounced || undefined, role, status: 'active', pageSize: 20, sort: 'displayName' }, signal }),
    placeholderData: keepPreviousData,
  });
  const items = (users.data?.items ?? []).filter((u) => !exclude?.has(u.id) || u.id === value);
  const byId = new Map(items.map((u) => [u.id, u]));

  return (
    <Select
      label={label}
      description={description}
      placeholder={t('exercises.picker.placeholder')}
      leftSection={<IconSearch size={16} aria-hidden />}
      searchable
      clearable
      required
      data-autofocus
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      onChange={(id) => onChange(id, id ? (byId.get(id) ?? null) : null)}
      filter={({ options }) => options}
      data={items.map((u) => ({ value: u.id, label: u.displayName }))}
      nothingFoundMessage={users.isFetching ? t('common.state.loading') : t('exercises.picker.none')}
      error={error}
      maxDropdownHeight={300}
      comboboxProps={{ withinPortal: true }}
      renderOption={({ option }) => {
        const u = byId.get(option.value);
        if (!u) return option.label;
        return (
          <Stack gap={0}>
            <Text size="sm" fw={500}>
              {u.displayName}
            </Text>
            <Group gap={6} wrap="nowrap">
              <Text size="xs" c="dimmed" truncate>
                <Ltr>{u.email}</Ltr>
              </Text>
              <Text size="xs" c="dimmed" truncate>
                · {u.organisation.name} · {countryName(u.organisation.countryCode)}
              </Text>
            </Group>
          </Stack>
        );
      }}
    />
  );
}
