import { Anchor, Badge, Button, Group, Stack, Switch, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconArrowsJoin, IconChecks } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { Link } from 'react-router';
import { api } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useNotify } from '../../core/notify.tsx';
import { DataTable } from '../../core/table/DataTable.tsx';
import { usePagedQuery } from '../../core/table/usePagedQuery.ts';
import { useTableState } from '../../core/table/useTableState.ts';
import { DateTime } from '../../components/DateTime.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useT.ts';
import { sharingKey, TlpBadge, type CorrelationNotification } from './labels.tsx';

/** Where a notification points: a report, with its marking and who filed it. */
function ReportCell({ report }: { report: CorrelationNotification['report'] }) {
  return (
    <Stack gap={0}>
      <Group gap={6} wrap="nowrap">
        <TlpBadge tlp={report.tlp} />
        <Anchor component={Link} to={`/sharing/reports/${encodeURIComponent(report.id)}`} size="sm" fw={600}>
          <bdi>{report.title}</bdi>
        </Anchor>
      </Group>
      <Text size="xs" c="dimmed">
        <bdi>{report.reporterOrganisationName}</bdi>
      </Text>
    </Stack>
  );
}

/** The unread count of my correlation notifications (the button on the reports page uses it). */
export function useUnreadCorrelations() {
  return useQuery({ queryKey: [...sharingKey, 'notifications', 'unread'], queryFn: ({ signal }) => api.get<{ unread: number }>('/api/sharing/notifications/unread', { signal }), refetchInterval: 60_000 });
}

export default function CorrelationsPage() {
  const t = useT();
  const notify = useNotify();
  const errorText = useErrorText();
  const client = useQueryClient();
  const table = useTableState({ filters: ['unread'] as const });
  const list = usePagedQuery<CorrelationNotification>([...sharingKey, 'notifications'], '/api/sharing/notifications', table);
  const markRead = useMutation({
    mutationFn: (ids?: string[]) => api.post<{ updated: number }>('/api/sharing/notifications/read', ids ? { ids } : {}),
    onSuccess: () => void client.invalidateQueries({ queryKey: [...sharingKey, 'notifications'] }),
    onError: (e) => notify.error(errorText(e)),
  });
  const unread = (list.data as { unread?: number } | undefined)?.unread ?? 0;

  const columns: DataTableColumn<CorrelationNotification>[] = [
    {
      accessor: 'readAt',
      title: t('sharing.correlations.col.status'),
      render: (n) => (n.readAt ? <Text size="sm" c="dimmed">{t('sharing.correlations.read')}</Text> : <Badge color="blue">{t('sharing.correlations.new')}</Badge>),
    },
    { accessor: 'report', title: t('sharing.correlations.col.report'), render: (n) => <ReportCell report={n.report} /> },
    { accessor: 'relatedReport', title: t('sharing.correlations.col.related'), render: (n) => <ReportCell report={n.relatedReport} /> },
    { accessor: 'createdAt', title: t('sharing.correlations.col.when'), render: (n) => <DateTime value={n.createdAt} /> },
    {
      accessor: 'id',
      title: '',
      render: (n) =>
        n.readAt ? null : (
          <Button size="compact-sm" variant="subtle" onClick={() => markRead.mutate([n.id])} loading={markRead.isPending && markRead.variables?.[0] === n.id}>
            {t('sharing.correlations.markRead')}
          </Button>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title={t('sharing.correlations.title')}
        description={t('sharing.correlations.subtitle')}
        breadcrumbs={[{ label: t('sharing.title'), to: '/sharing' }, { label: t('sharing.correlations.title') }]}
        actions={
          <Button variant="default" leftSection={<IconChecks size={18} aria-hidden />} disabled={unread === 0} loading={markRead.isPending && markRead.variables === undefined} onClick={() => markRead.mutate(undefined)}>
            {t('sharing.correlations.markAllRead')}
          </Button>
        }
      />
      <Group mb="md" justify="space-between">
        <Switch label={t('sharing.correlations.unreadOnly')} checked={table.filters.unread === 'true'} onChange={(e) => table.setFilter('unread', e.currentTarget.checked ? 'true' : null)} />
        {list.data ? <Text size="sm" c="dimmed">{t('sharing.correlations.unreadCount', { count: unread })}</Text> : null}
      </Group>
      <DataTable<CorrelationNotification>
        label={t('sharing.correlations.title')}
        columns={columns}
        table={table}
        query={list}
        tableProps={{ horizontalSpacing: 'sm' }}
        empty={{ icon: <IconArrowsJoin aria-hidden />, title: t('sharing.correlations.emptyTitle'), description: t('sharing.correlations.emptyDescription') }}
      />
    </>
  );
}
