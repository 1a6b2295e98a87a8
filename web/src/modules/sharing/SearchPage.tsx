import { useState } from 'react';
import { Anchor, Button, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { Link } from 'react-router';
import { indicatorTypes } from '@modules/sharing/schemas.ts';
import { DataTable } from '../../core/table/DataTable.tsx';
import { usePagedQuery } from '../../core/table/usePagedQuery.ts';
import { useTableState } from '../../core/table/useTableState.ts';
import { DateTime } from '../../components/DateTime.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useT.ts';
import { IndicatorValue, indicatorTypeLabel, sharingKey, TlpBadge, type IndicatorHit } from './labels.tsx';

export default function SearchPage() {
  const t = useT();
  const table = useTableState({ filters: ['value', 'type'] as const });
  const [draft, setDraft] = useState(table.filters.value ?? '');
  const value = table.filters.value?.trim() ?? '';
  const hits = usePagedQuery<IndicatorHit>([...sharingKey, 'search'], '/api/sharing/indicators', table, { enabled: value !== '' });

  const columns: DataTableColumn<IndicatorHit>[] = [
    { accessor: 'type', title: t('sharing.col.type'), render: (i) => t(indicatorTypeLabel[i.type]) },
    { accessor: 'value', title: t('sharing.col.value'), render: (i) => <IndicatorValue value={i.value} label={t(indicatorTypeLabel[i.type])} /> },
    { accessor: 'effectiveTlp', title: t('sharing.col.tlp'), render: (i) => <TlpBadge tlp={i.effectiveTlp} /> },
    {
      accessor: 'report',
      title: t('sharing.col.report'),
      render: (i) => (
        <Stack gap={0}>
          <Anchor component={Link} to={`/sharing/reports/${encodeURIComponent(i.report.id)}`} size="sm" fw={600}>
            <bdi>{i.report.title}</bdi>
          </Anchor>
          <Text size="xs" c="dimmed">
            <bdi>{i.report.reporterOrganisationName}</bdi>
          </Text>
        </Stack>
      ),
    },
    { accessor: 'lastSeen', title: t('sharing.field.lastSeen'), render: (i) => <DateTime value={i.lastSeen} /> },
  ];

  return (
    <>
      <PageHeader title={t('sharing.search.title')} description={t('sharing.search.subtitle')} breadcrumbs={[{ label: t('sharing.title'), to: '/sharing' }, { label: t('sharing.search.title') }]} />
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          table.setFilter('value', draft.trim() || null);
        }}
      >
        <Group align="flex-end" gap="sm" mb="md">
          <TextInput style={{ flex: 1, minWidth: 240 }} label={t('sharing.search.value')} dir="ltr" ff="monospace" autoComplete="off" spellCheck={false} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} />
          <Select
            label={t('sharing.search.type')}
            placeholder={t('sharing.search.anyType')}
            data={indicatorTypes.map((k) => ({ value: k, label: t(indicatorTypeLabel[k]) }))}
            value={table.filters.type ?? null}
            onChange={(v) => table.setFilter('type', v)}
            clearable
          />
          <Button type="submit" leftSection={<IconSearch size={18} aria-hidden />}>
            {t('sharing.search.submit')}
          </Button>
        </Group>
      </form>
      {value ? (
        <DataTable<IndicatorHit> label={t('sharing.search.results')} columns={columns} table={table} query={hits} empty={{ title: t('sharing.search.noResults'), description: t('sharing.search.noResultsText') }} />
      ) : (
        <Text c="dimmed" size="sm">
          {t('sharing.search.hint')}
        </Text>
      )}
    </>
  );
}
