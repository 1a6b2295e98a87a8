import { Anchor, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { IconDoorEnter, IconPlayerPlay, IconPlus, IconSettings, IconTargetArrow } from '@tabler/icons-react';
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
import { Localized } from '../scenarios/localized.tsx';
import { exercisePath, modeLabel, phaseColor, phaseLabel, roleLabel, useExercises, type ExerciseSummary } from './api.ts';
import { Countdown } from './Countdown.tsx';
import { useEndAlign } from '../scenarios/format.ts';

/** The exercises the user takes part in (administrators: all of them). */
export default function ExercisesPage() {
  const t = useT();
  const can = useCan();
  const navigate = useNavigate();
  const exercises = useExercises();
  const table = useTableState({ defaultSort: '-createdAt' });
  const receivedAt = exercises.dataUpdatedAt;
  const endAlign = useEndAlign();

  const columns: DataTableColumn<ExerciseSummary>[] = [
    {
      accessor: 'title',
      title: t('exercises.col.title'),
      sortable: true,
      render: (e) => (
        <Stack gap={0} maw={360}>
          <Anchor component={Link} to={exercisePath(e)} size="sm" fw={600} c="inherit">
            {e.title}
          </Anchor>
          <Text size="xs" c="dimmed" truncate>
            <Localized text={e.scenario.title} fallback={e.scenario.slug} /> · <Ltr mono>v{e.scenario.version}</Ltr>
          </Text>
        </Stack>
      ),
    },
    {
      accessor: 'status',
      title: t('exercises.col.status'),
      sortable: true,
      render: (e) => (
        <Badge color={phaseColor[e.clock.phase]} variant={e.clock.phase === 'running' ? 'dot' : 'light'} miw="max-content">
          {t(phaseLabel[e.clock.phase])}
        </Badge>
      ),
    },
    { accessor: 'clock', title: t('exercises.col.clock'), render: (e) => <Countdown clock={e.clock} receivedAt={receivedAt} size="sm" /> },
    { accessor: 'mode', title: t('exercises.col.mode'), sortable: true, render: (e) => <Text size="sm">{t(modeLabel[e.mode])}</Text> },
    { accessor: 'teamCount', title: t('exercises.col.teams'), sortable: true, textAlign: endAlign, render: (e) => <FormattedNumber value={e.teamCount} /> },
    { accessor: 'myRole', title: t('exercises.col.myRole'), render: (e) => <Badge color={e.myRole === 'participant' ? 'navy' : 'gray'} variant="light" miw="max-content">{t(roleLabel[e.myRole])}</Badge> },
    {
      accessor: 'scheduledStart',
      title: t('exercises.col.start'),
      sortable: true,
      noWrap: true,
      render: (e) => <DateTime value={e.clock.startedAt ?? e.scheduledStart} fallback={<Text span size="sm" c="dimmed">{t('exercises.notScheduled')}</Text>} />,
    },
    {
      accessor: 'actions',
      title: <span className="visually-hidden">{t('common.table.actions')}</span>,
      textAlign: endAlign,
      render: (e) => (
        <Button
          component={Link}
          to={exercisePath(e)}
          size="xs"
          variant={e.myRole === 'participant' && e.clock.phase === 'running' ? 'filled' : 'light'}
          leftSection={e.myRole === 'participant' ? <IconPlayerPlay size={14} aria-hidden /> : <IconSettings size={14} aria-hidden />}
          aria-label={t(e.myRole === 'participant' ? 'exercises.playNamed' : 'exercises.runNamed', { title: e.title })}
        >
          {t(e.myRole === 'participant' ? 'exercises.play' : 'exercises.run')}
        </Button>
      ),
    },
  ];

  const actions = (
    <>
      {can('exercises.join') ? (
        <Button component={Link} to="/join" variant="default" leftSection={<IconDoorEnter size={18} aria-hidden />}>
          {t('exercises.join.nav')}
        </Button>
      ) : null}
      {can('exercises.create') ? (
        <Button component={Link} to="/exercises/new" leftSection={<IconPlus size={18} aria-hidden />}>
          {t('exercises.create.open')}
        </Button>
      ) : null}
    </>
  );

  return (
    <>
      <PageHeader title={t('exercises.title')} description={t('exercises.subtitle')} actions={actions} />
      <Group mb="xs">
        <Text size="sm" c="dimmed" aria-live="polite">
          {exercises.data ? t('exercises.count', { count: exercises.data.length }) : null}
        </Text>
      </Group>
      <DataTable<ExerciseSummary>
        label={t('exercises.title')}
        columns={columns}
        table={table}
        query={exercises}
        tableProps={{ onRowClick: ({ record, event }) => !(event.target as HTMLElement).closest('button, a') && void navigate(exercisePath(record)) }}
        empty={{
          icon: <IconTargetArrow aria-hidden />,
          title: t('exercises.empty.title'),
          description: can('exercises.create') ? t('exercises.empty.trainer') : can('exercises.join') ? t('exercises.empty.participant') : t('exercises.empty.other'),
          action: actions,
        }}
      />
    </>
  );
}
