import { useState } from 'react';
import { Select, Stack, Text, type ComboboxItem, type ComboboxParsedItem, type OptionsFilter, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Organisation } from '@modules/organisations/schemas.ts';
import { api, seg } from '../../core/api.ts';
import type { Page } from '../../core/table/usePagedQuery.ts';
import { useT } from '../../i18n/useT.ts';
import { fold, useCountryName } from './reference.ts';

export const organisationsKey = ['organisations'] as const;

type Props = Omit<SelectProps, 'data' | 'searchable' | 'onSearchChange' | 'searchValue' | 'filter' | 'renderOption' | 'value' | 'onChange'> & {
  value: string | null | undefined;
  onChange: (value: string | null) => void;
  /** Offer only active organisations (forms); filters offer every one. */
  activeOnly?: boolean;
};

const byLabel: OptionsFilter = ({ options, search }) => {
  const q = fold(search.trim());
  if (!q) return options;
  return (options as ComboboxParsedItem[]).filter((o) => 'label' in o && fold(o.label).includes(q));
};

/**
 * Choose an organisation by typing part of its name: searched on the server,
 * so it works with any number of organisations; each option shows its country.
 */
export function OrganisationSelect({ value, onChange, activeOnly, ...rest }: Props) {
  const t = useT();
  const countryName = useCountryName();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);

  const selected = useQuery({
    queryKey: [...organisationsKey, 'one', value],
    queryFn: ({ signal }) => api.get<Organisation>(`/api/organisations/${seg(value ?? '')}`, { signal }),
    enabled: Boolean(value),
    staleTime: 60_000,
  });
  // Typing shows matches; the selected name in the box is not a search.
  const term = debounced.trim() && debounced !== selected.data?.name ? debounced.trim() : undefined;
  const list = useQuery({
    queryKey: [...organisationsKey, 'options', { term, activeOnly: Boolean(activeOnly) }],
    queryFn: ({ signal }) =>
      api.get<Page<Organisation>>('/api/organisations', { query: { pageSize: 50, sort: 'name', search: term, status: activeOnly ? 'active' : undefined }, signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

  const items = list.data?.items ?? [];
  const known = new Map<string, Organisation>(items.map((o) => [o.id, o]));
  if (selected.data && !known.has(selected.data.id)) known.set(selected.data.id, selected.data);
  const data: ComboboxItem[] = [...known.values()].map((o) => ({ value: o.id, label: o.name }));

  return (
    <Select
      {...rest}
      searchable
      value={value ?? null}
      onChange={(v) => onChange(v)}
      data={data}
      filter={byLabel}
      onSearchChange={setSearch}
      nothingFoundMessage={list.isFetching ? t('organisations.select.loading') : t('organisations.select.nothingFound')}
      maxDropdownHeight={280}
      comboboxProps={{ shadow: 'md', ...rest.comboboxProps }}
      renderOption={({ option }) => {
        const o = known.get(option.value);
        return (
          <Stack gap={0}>
            <Text size="sm">{option.label}</Text>
            {o ? (
              <Text size="xs" c="dimmed">
                {countryName(o.countryCode)}
              </Text>
            ) : null}
          </Stack>
        );
      }}
    />
  );
}
