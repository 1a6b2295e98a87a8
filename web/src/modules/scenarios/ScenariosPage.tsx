import { useState } from 'react';
import { Anchor, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { IconBooks, IconPackageImport } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { FormattedNumber } from 'react-intl';
import { Link, useNavigate } from 'react-router';
import { useCan } from '../../core/session.ts';
import { DataTable } from '../../core/table/DataTable.tsx';
import { useTableState } from '../../core/table/useTableState.ts';
import { DateTime } from '../../components/DateTime.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useT.ts';
import { useScenarios, type ScenarioSummary } from './api.ts';
import { useFormatMinutes, useEndAlign } from './format.ts';
import { ImportPackageModal } from './ImportPackageModal.tsx';
import { difficultyColor, difficultyLabel, themeLabel } from './labels.ts';
import { Localized, useLocalized } from './localized.tsx';

/** The library of imported scenario packages (every version). */
export default function ScenariosPage() {
  const t = useT();
  const can = useCan();
  const manage = can('scenarios.manage');
  const navigate = useNavigate();
  const localized = useLocalized();
  const formatMinutes = useFormatMinutes();
  const endAlign = useEndAlign();
  const scenarios = useScenarios();
  const table = useTableState({ defaultSort: '-importedAt' });
  const [importing, setImporting] = useState(false);

  // Sorting by title sorts by the title in the user's language.
  const rows = scenarios.data?.map((s) => ({ ...s, displayTitle: localized(s.title, s.slug) }));
  type Row = ScenarioSummary & { displayTitle: string };

  const columns: DataTableColumn<Row>[] = [
    {
      accessor: 'displayTitle',
      title: t('scenarios.col.title'),
      sortable: true,
      render: (s) => (
        <Stack gap={0} maw={340}>
          <Anchor component={Link} to={`/scenarios/${s.id}`} size="sm" fw={600} c="inherit">
            <Localized text={s.title} fallback={s.slug} />
          </Anchor>
          <Text size="xs" c="dimmed">
            <Ltr mono>{s.slug}</Ltr>
          </Text>
        </Stack>
      ),
    },
    { accessor: 'version', title: t('scenarios.col.version'), sortable: true, render: (s) => <Ltr mono>{s.version}</Ltr> },
    { accessor: 'theme', title: t('scenarios.col.theme'), sortable: true, render: (s) => <Text size="sm">{t(themeLabel[s.theme])}</Text> },
    {
      accessor: 'difficulty',
      title: t('scenarios.col.difficulty'),
      sortable: true,
      render: (s) => (
        <Badge color={difficultyColor[s.difficulty]} miw="max-content">
          {t(difficultyLabel[s.difficulty])}
        </Badge>
      ),
    },
    { accessor: 'durationMinutes', title: t('scenarios.col.duration'), sortable: true, noWrap: true, render: (s) => formatMinutes(s.durationMinutes) },
    { accessor: 'objectiveCount', title: t('scenarios.col.objectives'), sortable: true, textAlign: endAlign, render: (s) => <FormattedNumber value={s.objectiveCount} /> },
    { accessor: 'evidenceCount', title: t('scenarios.col.evidence'), sortable: true, textAlign: endAlign, render: (s) => <FormattedNumber value={s.evidenceCount} /> },
    { accessor: 'importedAt', title: t('scenarios.col.importedAt'), sortable: true, noWrap: true, render: (s) => <DateTime value={s.importedAt} /> },
  ];

  const importButton = manage ? (
    <Button leftSection={<IconPackageImport size={18} aria-hidden />} onClick={() => setImporting(true)}>
      {t('scenarios.import.open')}
    </Button>
  ) : null;

  return (
    <>
      <PageHeader title={t('scenarios.title')} description={t('scenarios.subtitle')} actions={importButton} />
      <Group justify="space-between" mb="xs">
        <Text size="sm" c="dimmed" aria-live="polite">
          {rows ? t('scenarios.count', { count: rows.length }) : null}
        </Text>
      </Group>
      <DataTable<Row>
        label={t('scenarios.title')}
        columns={columns}
        table={table}
        records={rows}
        query={{ ...scenarios, data: rows }}
        tableProps={{ onRowClick: ({ record, event }) => !(event.target as HTMLElement).closest('button, a') && void navigate(`/scenarios/${record.id}`) }}
        empty={{
          icon: <IconBooks aria-hidden />,
          title: t('scenarios.empty.title'),
          description: manage ? t('scenarios.empty.description') : t('scenarios.empty.readOnly'),
          action: importButton,
        }}
      />
      {manage ? <ImportPackageModal opened={importing} onClose={() => setImporting(false)} /> : null}
    </>
  );
}
