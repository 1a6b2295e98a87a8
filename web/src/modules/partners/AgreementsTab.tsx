import { useState } from 'react';
import { ActionIcon, Badge, useDirection, Button, Card, Group, Menu, Modal, Select, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconAlarm, IconDots, IconFileDescription, IconFiles, IconFileOff, IconPencil, IconPlayerPause, IconPlayerPlay, IconPlus, IconSquareX } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { agreementStatuses, partnershipKinds, type Agreement, type AgreementStatus } from '@modules/partners/schemas.ts';
import { api, seg } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useNotify } from '../../core/notify.tsx';
import { DataTable } from '../../core/table/DataTable.tsx';
import { usePagedQuery } from '../../core/table/usePagedQuery.ts';
import { useTableState, filterSelectProps } from '../../core/table/useTableState.ts';
import { DateOnly } from '../../components/DateTime.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { FormError } from '../../components/FormError.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { FiltersPanel } from '../users/admin-ui.tsx';
import { AgreementDocuments } from './AgreementDocuments.tsx';
import { AgreementForm } from './AgreementForm.tsx';
import { AgreementStatusBadge, agreementStatusLabel, kindLabel, partnersKey, TlpBadge } from './labels.tsx';

export const agreementsKey = [...partnersKey, 'agreements'] as const;
const filters = ['kind', 'status'] as const;
const noFilters = { kind: null, status: null };

type Target = AgreementStatus;
/** Where an agreement may go from each stored status (as the server allows). */
const nextStatuses: Record<AgreementStatus, Target[]> = { draft: ['active'], active: ['suspended', 'expired'], suspended: ['active', 'expired'], expired: [] };

/** Period "1 Jan 2026 to 31 Dec 2026" or "1 Jan 2026 to open-ended". */
export function Period({ a }: { a: Pick<Agreement, 'startsOn' | 'endsOn'> }) {
  const t = useT();
  return (
    <Text size="sm" span>
      <DateOnly value={a.startsOn} />
      {' – '}
      {a.endsOn ? <DateOnly value={a.endsOn} /> : <Text span c="dimmed" size="sm">{t('partners.agreement.openEnded')}</Text>}
    </Text>
  );
}

export function AgreementsTab() {
  const t = useT();
  const { dir } = useDirection();
  const table = useTableState({ defaultSort: '-startsOn', filters });
  const list = usePagedQuery<Agreement>([...agreementsKey, 'list'], '/api/partner-agreements', table);
  const filtered = filters.some((f) => table.filters[f]);
  const [editing, setEditing] = useState<Agreement | 'new' | null>(null);
  const [changing, setChanging] = useState<{ agreement: Agreement; to: Target } | null>(null);
  const [documentsOf, setDocumentsOf] = useState<Agreement | null>(null);

  const columns: DataTableColumn<Agreement>[] = [
    {
      accessor: 'title',
      title: t('partners.col.title'),
      sortable: true,
      render: (a) => (
        <Stack gap={0}>
          <Text size="sm" fw={600}>
            <bdi>{a.title}</bdi>
          </Text>
          <Text size="xs" c="dimmed" ff="monospace">
            <Ltr>{a.reference}</Ltr>
          </Text>
        </Stack>
      ),
    },
    { accessor: 'organisationName', title: t('partners.col.organisation'), render: (a) => <bdi>{a.organisationName}</bdi> },
    { accessor: 'kind', title: t('partners.col.kind'), render: (a) => t(kindLabel[a.kind]) },
    { accessor: 'status', title: t('partners.col.status'), render: (a) => <AgreementStatusBadge status={a.status} /> },
    { accessor: 'startsOn', title: t('partners.agreement.startsOn'), sortable: true, render: (a) => <DateOnly value={a.startsOn} /> },
    {
      accessor: 'endsOn',
      title: t('partners.agreement.endsOn'),
      sortable: true,
      render: (a) => (a.endsOn ? <DateOnly value={a.endsOn} /> : <Text size="sm" c="dimmed">{t('partners.agreement.openEnded')}</Text>),
    },
    { accessor: 'maxTlp', title: t('partners.col.tlp'), render: (a) => (a.maxTlp ? <TlpBadge tlp={a.maxTlp} /> : '—') },
    {
      accessor: 'actions',
      title: <span className="visually-hidden">{t('partners.col.actions')}</span>,
      textAlign: dir === 'rtl' ? 'left' : 'right',
      render: (a) => <AgreementActions agreement={a} onEdit={() => setEditing(a)} onChange={(to) => setChanging({ agreement: a, to })} onDocuments={() => setDocumentsOf(a)} />,
    },
  ];

  return (
    <>
      <ExpiringCard />
      <Group justify="flex-end" mb="sm">
        <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setEditing('new')}>
          {t('partners.agreements.create')}
        </Button>
      </Group>
      <FiltersPanel summary={list.data ? t('partners.agreements.count', { count: list.data.total }) : null} onClear={filtered ? () => table.setFilters(noFilters) : undefined} clearLabel={t('partners.filter.clear')}>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
          <Select
            label={t('partners.filter.kind')}
            placeholder={t('partners.filter.allKinds')}
            data={partnershipKinds.map((k) => ({ value: k, label: t(kindLabel[k]) }))}
            {...filterSelectProps(table, 'kind', t('partners.filter.clearKind'))}
          />
          <Select
            label={t('partners.filter.status')}
            placeholder={t('partners.filter.allStatuses')}
            data={agreementStatuses.map((s) => ({ value: s, label: t(agreementStatusLabel[s]) }))}
            {...filterSelectProps(table, 'status', t('partners.filter.clearStatus'))}
          />
        </SimpleGrid>
      </FiltersPanel>
      <DataTable<Agreement>
        label={t('partners.tab.agreements')}
        columns={columns}
        table={table}
        query={list}
        tableProps={{ horizontalSpacing: 'sm' }}
        empty={
          filtered
            ? {
                icon: <IconFileOff aria-hidden />,
                title: t('partners.empty.filteredTitle'),
                description: t('partners.empty.filteredDescription'),
                action: (
                  <Button variant="light" onClick={() => table.setFilters(noFilters)}>
                    {t('partners.filter.clear')}
                  </Button>
                ),
              }
            : { icon: <IconFileDescription aria-hidden />, title: t('partners.agreements.empty.title'), description: t('partners.agreements.empty.description') }
        }
      />
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('partners.agreement.createTitle') : t('partners.agreement.editTitle')}
        size="xl"
        closeOnClickOutside={false}
        closeButtonProps={{ 'aria-label': t('common.action.close') }}
      >
        {editing ? <AgreementForm agreement={editing === 'new' ? null : editing} onDone={() => setEditing(null)} onCancel={() => setEditing(null)} /> : null}
      </Modal>
      <StatusModal target={changing} onClose={() => setChanging(null)} />
      <Modal
        opened={documentsOf !== null}
        onClose={() => setDocumentsOf(null)}
        title={documentsOf ? t('partners.documents.titleOf', { title: documentsOf.title }) : ''}
        size="xl"
        closeButtonProps={{ 'aria-label': t('common.action.close') }}
      >
        {documentsOf ? <AgreementDocuments agreementId={documentsOf.id} manage /> : null}
      </Modal>
    </>
  );
}

function AgreementActions({ agreement: a, onEdit, onChange, onDocuments }: { agreement: Agreement; onEdit: () => void; onChange: (to: Target) => void; onDocuments: () => void }) {
  const t = useT();
  const next = a.status === 'expired' ? [] : nextStatuses[a.storedStatus];
  return (
    <Group gap={4} justify="flex-end" wrap="nowrap">
      <ActionIcon variant="subtle" color="gray" onClick={onDocuments} aria-label={t('partners.documents.open', { title: a.title })}>
        <IconFiles size={18} aria-hidden />
      </ActionIcon>
      {a.status === 'expired' ? null : (
        <ActionIcon variant="subtle" color="gray" onClick={onEdit} aria-label={t('partners.agreement.edit', { title: a.title })}>
          <IconPencil size={18} aria-hidden />
        </ActionIcon>
      )}
      {next.length > 0 ? (
        <Menu position="bottom-end" withinPortal shadow="md">
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" aria-label={t('partners.agreement.actions', { title: a.title })}>
              <IconDots size={18} aria-hidden />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            {next.map((to) => (
              <Menu.Item
                key={to}
                color={to === 'expired' ? 'red' : undefined}
                leftSection={to === 'active' ? <IconPlayerPlay size={16} aria-hidden /> : to === 'suspended' ? <IconPlayerPause size={16} aria-hidden /> : <IconSquareX size={16} aria-hidden />}
                onClick={() => onChange(to)}
              >
                {to === 'active' && a.storedStatus === 'suspended' ? t('partners.agreement.action.resume') : t(actionLabel[to])}
              </Menu.Item>
            ))}
          </Menu.Dropdown>
        </Menu>
      ) : null}
    </Group>
  );
}

const actionLabel = {
  draft: 'partners.agreement.action.active',
  active: 'partners.agreement.action.active',
  suspended: 'partners.agreement.action.suspended',
  expired: 'partners.agreement.action.expired',
} as const;
const confirmText = {
  draft: 'partners.agreement.confirm.active',
  active: 'partners.agreement.confirm.active',
  suspended: 'partners.agreement.confirm.suspended',
  expired: 'partners.agreement.confirm.expired',
} as const;

/** Confirms a status change, with an optional reason kept in the audit log. */
function StatusModal({ target, onClose }: { target: { agreement: Agreement; to: Target } | null; onClose: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: ({ agreement, to }: { agreement: Agreement; to: Target }) =>
      api.post<Agreement>(`/api/partner-agreements/${seg(agreement.id)}/status`, { status: to, ...(reason.trim() ? { reason: reason.trim() } : {}) }),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: partnersKey });
      notify.success(t('partners.agreement.statusChanged', { title: saved.title, status: t(agreementStatusLabel[saved.status]) }));
      close();
    },
    onError: (e) => setError(errorText(e)),
  });
  const close = () => {
    setReason('');
    setError(null);
    onClose();
  };
  const label = target ? (target.to === 'active' && target.agreement.storedStatus === 'suspended' ? t('partners.agreement.action.resume') : t(actionLabel[target.to])) : '';
  return (
    <Modal opened={target !== null} onClose={close} title={label} centered radius="md" closeButtonProps={{ 'aria-label': t('common.action.close') }}>
      {target ? (
        <Stack gap="md">
          <FormError>{error}</FormError>
          <Text size="sm">{t(confirmText[target.to], { title: target.agreement.title })}</Text>
          <Textarea label={t('partners.agreement.reason')} autosize minRows={2} maxRows={6} value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={2000} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} data-autofocus disabled={change.isPending}>
              {t('common.action.cancel')}
            </Button>
            <Button color={target.to === 'expired' ? 'red' : target.to === 'suspended' ? 'orange' : 'teal'} loading={change.isPending} onClick={() => change.mutate(target)}>
              {label}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}

/** The renewal reminders: agreements ending within 30 days. */
function ExpiringCard() {
  const t = useT();
  const days = 30;
  const expiring = useQuery({
    queryKey: [...agreementsKey, 'expiring', days],
    queryFn: ({ signal }) => api.get<{ days: number; items: Agreement[] }>('/api/partner-agreements/expiring', { query: { days }, signal }),
  });
  const items = expiring.data?.items ?? [];
  return (
    <Card withBorder radius="md" p="lg" mb="md" component="section" aria-labelledby="expiring-title" style={items.length ? { borderInlineStart: '4px solid var(--mantine-color-orange-6)' } : undefined}>
      <Group gap="xs" mb={4}>
        <IconAlarm size={20} aria-hidden color="var(--mantine-color-orange-7)" />
        <Title order={2} fz="md" id="expiring-title">
          {t('partners.expiring.title')}
        </Title>
        {items.length ? (
          <Badge color="orange" variant="filled" size="sm" circle>
            {items.length}
          </Badge>
        ) : null}
      </Group>
      {expiring.isPending ? (
        <LoadingState variant="form" rows={1} />
      ) : expiring.error ? (
        <ErrorState error={expiring.error} onRetry={() => void expiring.refetch()} />
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('partners.expiring.none', { days })}
        </Text>
      ) : (
        <Stack gap="xs" mt="xs">
          <Text size="sm" c="dimmed">
            {t('partners.expiring.description', { days })}
          </Text>
          {items.map((a) => (
            <Group key={a.id} justify="space-between" wrap="nowrap" gap="sm" py={6} style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
              <Stack gap={0} miw={0}>
                <Text size="sm" fw={600} truncate>
                  <bdi>{a.title}</bdi>
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  <bdi>{a.organisationName}</bdi> · {t(kindLabel[a.kind])}
                </Text>
              </Stack>
              <Group gap="sm" wrap="nowrap">
                {a.endsOn ? (
                  <Text size="sm" visibleFrom="sm">
                    <DateOnly value={a.endsOn} />
                  </Text>
                ) : null}
                <Badge color={(a.daysLeft ?? 0) <= 7 ? 'red' : 'orange'} variant="light" miw="max-content">
                  {t('partners.expiring.daysLeft', { days: a.daysLeft ?? 0 })}
                </Badge>
              </Group>
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}

