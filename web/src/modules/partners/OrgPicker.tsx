import { useState } from 'react';
import { MultiSelect, Select, type MultiSelectProps, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Organisation } from '@modules/organisations/schemas.ts';
import { api } from '../../core/api.ts';
import type { Page } from '../../core/table/usePagedQuery.ts';
import { useT } from '../../i18n/useT.ts';
import { organisationsKey } from '../organisations/OrganisationSelect.tsx';

type Kind = Organisation['kind'];

function useOrganisations(kind: Kind, search: string) {
  const [debounced] = useDebouncedValue(search.trim(), 300);
  return useQuery({
    queryKey: [...organisationsKey, 'options', { kind, term: debounced, activeOnly: true }],
    queryFn: ({ signal }) => api.get<Page<Organisation>>('/api/organisations', { query: { pageSize: 100, sort: 'name', kind, status: 'active', search: debounced || undefined }, signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

type OneProps = Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchable'> & { kind: Kind; value: string | null; onChange: (v: string | null) => void; selectedName?: string | undefined };

/** One active organisation of a kind (partner or police unit), searched on the server. */
export function OrgPicker({ kind, value, onChange, selectedName, ...rest }: OneProps) {
  const t = useT();
  const [search, setSearch] = useState('');
  const list = useOrganisations(kind, search === selectedName ? '' : search);
  const data = (list.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }));
  if (value && selectedName && !data.some((d) => d.value === value)) data.unshift({ value, label: selectedName });
  return (
    <Select
      {...rest}
      searchable
      data={data}
      value={value}
      onChange={onChange}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={list.isFetching ? t('partners.agreement.searching') : t('partners.agreement.noOrganisation')}
      maxDropdownHeight={280}
    />
  );
}

type ManyProps = Omit<MultiSelectProps, 'data' | 'value' | 'onChange' | 'searchable'> & { kind: Kind; value: string[]; onChange: (v: string[]) => void };

/** Several active organisations of a kind (the first 100, then by search). */
export function OrgMultiPicker({ kind, value, onChange, ...rest }: ManyProps) {
  const t = useT();
  const list = useOrganisations(kind, '');
  const data = (list.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }));
  for (const id of value) if (!data.some((d) => d.value === id)) data.push({ value: id, label: id });
  return (
    <MultiSelect
      {...rest}
      searchable
      data={data}
      value={value}
      onChange={onChange}
      nothingFoundMessage={list.isFetching ? t('partners.agreement.searching') : t('partners.agreement.noOrganisation')}
      maxDropdownHeight={280}
      hidePickedOptions
    />
  );
}
