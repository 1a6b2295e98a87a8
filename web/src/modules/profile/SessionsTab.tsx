import { useState } from 'react';
import { ActionIcon, Badge, Group, Stack, Text, Tooltip, useDirection } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconDeviceDesktop, IconLogout } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import type { SessionItem } from '@modules/accounts/schemas.ts';
import { api, seg } from '../../core/api.ts';
import { useNotify } from '../../core/notify.tsx';
import { DataTable } from '../../core/table/DataTable.tsx';
import { useTableState } from '../../core/table/useTableState.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTime, RelativeTime } from '../../components/DateTime.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { Section } from './Section.tsx';
import { describeUserAgent, sessionsKey, useSessions } from './api.ts';

export function SessionsTab() {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const sessions = useSessions();
  const { dir } = useDirection();
  const table = useTableState({ defaultSort: '-lastSeenAt', defaultPageSize: 10 });
  const [revoking, setRevoking] = useState<SessionItem | null>(null);

  const revoke = useMutation({
    mutationFn: (s: SessionItem) => api.delete(`/api/me/sessions/${seg(s.id)}`),
    onSuccess: () => {
      setRevoking(null);
      notify.success(t('profile.sessions.revoked'));
      return client.invalidateQueries({ queryKey: sessionsKey });
    },
    onError: (error) => {
      setRevoking(null);
      notify.error(error);
    },
  });

  const deviceName = (s: SessionItem) => {
    const d = describeUserAgent(s.userAgent);
    if (d?.browser && d.os) return t('profile.sessions.device', { browser: d.browser, os: d.os });
    return d?.browser ?? d?.os ?? t('profile.sessions.unknownDevice');
  };

  const columns: DataTableColumn<SessionItem>[] = [
    {
      accessor: 'userAgent',
      title: t('profile.sessions.col.device'),
      render: (s) => (
        <Stack gap={2}>
          <Group gap={6}>
            <Text size="sm" fw={500}>
              {deviceName(s)}
            </Text>
            {s.current ? (
              <Badge color="teal" size="sm">
                {t('profile.sessions.current')}
              </Badge>
            ) : null}
          </Group>
          {s.userAgent ? (
            <Tooltip label={<Ltr>{s.userAgent}</Ltr>} multiline maw={420}>
              {/* Left-to-right, so the end of the string is what gets cut off. */}
              <Text size="xs" c="dimmed" truncate maw={320} dir="ltr" ta={dir === 'rtl' ? 'right' : 'left'}>
                {s.userAgent}
              </Text>
            </Tooltip>
          ) : null}
        </Stack>
      ),
    },
    {
      accessor: 'ip',
      title: t('profile.sessions.col.ip'),
      render: (s) => (s.ip ? <Ltr mono fz="sm">{s.ip}</Ltr> : <Text span c="dimmed">—</Text>),
    },
    { accessor: 'createdAt', title: t('profile.sessions.col.started'), sortable: true, render: (s) => <DateTime value={s.createdAt} /> },
    { accessor: 'lastSeenAt', title: t('profile.sessions.col.lastSeen'), sortable: true, render: (s) => <RelativeTime value={s.lastSeenAt} /> },
    {
      accessor: 'actions',
      title: <span className="visually-hidden">{t('common.table.actions')}</span>,
      textAlign: 'right',
      width: 72,
      render: (s) =>
        s.current ? null : (
          <Tooltip label={t('profile.sessions.revoke')}>
            <ActionIcon variant="subtle" color="red" aria-label={t('profile.sessions.revokeNamed', { device: deviceName(s) })} onClick={() => setRevoking(s)}>
              <IconLogout size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
        ),
    },
  ];

  return (
    <Section title={t('profile.sessions.title')} description={t('profile.sessions.description')}>
      <DataTable<SessionItem>
        label={t('profile.sessions.title')}
        columns={columns}
        query={sessions}
        table={table}
        empty={{ icon: <IconDeviceDesktop aria-hidden />, title: t('profile.sessions.emptyTitle') }}
      />
      <ConfirmDialog
        opened={revoking !== null}
        danger
        title={t('profile.sessions.revokeTitle')}
        message={t('profile.sessions.revokeConfirm', { device: revoking ? deviceName(revoking) : '' })}
        confirmLabel={t('profile.sessions.revoke')}
        loading={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      />
    </Section>
  );
}
