import { useMemo, useRef } from 'react';
import { ActionIcon, Anchor, Badge, Code, DataList, Drawer, Group, Select, SimpleGrid, Stack, Text, Tooltip, useDirection } from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { IconChevronLeft, IconChevronRight, IconListSearch } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { FormattedDate } from 'react-intl';
import { Link, useSearchParams } from 'react-router';
import dayjs from 'dayjs';
import { auditActions, auditOutcomes, type AuditEntry } from '@modules/audit/schemas.ts';
import { roles, type Role } from '@modules/accounts/roles.ts';
import { useCan } from '../../core/session.ts';
import { DataTable } from '../../core/table/DataTable.tsx';
import { usePagedQuery } from '../../core/table/usePagedQuery.ts';
import { useTableState, filterSelectProps } from '../../core/table/useTableState.ts';
import { CopyField } from '../../components/CopyField.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { roleLabel } from '../../components/RoleBadges.tsx';
import { useT } from '../../i18n/useT.ts';
import { FiltersPanel, LtrTruncate, SearchFilter } from '../users/admin-ui.tsx';
import { actionGroups, actionMessage, outcomeColor, outcomeLabel, targetLabel } from './labels.ts';

const filters = ['action', 'outcome', 'actor', 'from', 'to'] as const;
const noFilters = { action: null, outcome: null, actor: null, from: null, to: null };
const auditKey = ['audit'] as const;

/** ISO instant in the URL ⇄ local "YYYY-MM-DD HH:mm:ss" in the picker. */
const toPicker = (iso: string | undefined) => (iso && dayjs(iso).isValid() ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : null);
const toIso = (local: string | null) => (local && dayjs(local).isValid() ? dayjs(local).toDate().toISOString() : null);

const isRole = (v: string | null): v is Role => (roles as readonly string[]).includes(v ?? '');

export default function AuditPage() {
  const t = useT();
  const table = useTableState({ defaultSort: '-occurredAt', filters });
  const entries = usePagedQuery<AuditEntry>(auditKey, '/api/audit', table);
  const [params, setParams] = useSearchParams();
  const { dir } = useDirection();

  const openEntry = (id: string | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (id) next.set('entry', id);
      else next.delete('entry');
      return next;
    });
  const entryId = params.get('entry');
  const lastEntry = useRef<AuditEntry | null>(null);
  const current = entries.data?.items.find((e) => e.id === entryId) ?? null;
  if (current) lastEntry.current = current;

  const actionOptions = useMemo(() => {
    const known = new Set(actionGroups.map((g) => g.prefix));
    const option = (a: (typeof auditActions)[number]) => {
      const id = actionMessage(a);
      return { value: a, label: id ? t(id) : a };
    };
    const groups = actionGroups.map((g) => ({ group: t(g.label), items: auditActions.filter((a) => a.split('.')[0] === g.prefix).map(option) }));
    const other = auditActions.filter((a) => !known.has(a.split('.')[0] ?? '')).map(option);
    return [...groups, ...(other.length ? [{ group: t('audit.group.other'), items: other }] : [])].filter((g) => g.items.length > 0);
  }, [t]);

  const from = table.filters.from;
  const to = table.filters.to;
  const rangeError = from && to && new Date(from) > new Date(to) ? t('audit.filter.rangeError') : undefined;
  const filtered = filters.some((f) => table.filters[f]);
  const total = entries.data?.total;
  const Chevron = dir === 'rtl' ? IconChevronLeft : IconChevronRight;

  const columns: DataTableColumn<AuditEntry>[] = [
    {
      accessor: 'occurredAt',
      title: t('audit.col.time'),
      sortable: true,
      noWrap: true,
      render: (e) => <Timestamp value={e.occurredAt} />,
    },
    {
      accessor: 'actorEmail',
      title: t('audit.col.actor'),
      render: (e) =>
        e.actorEmail ? (
          <LtrTruncate maw={220}>{e.actorEmail}</LtrTruncate>
        ) : (
          <Text size="sm" c="dimmed">
            {t('audit.actor.none')}
          </Text>
        ),
    },
    {
      accessor: 'action',
      title: t('audit.col.action'),
      render: (e) => <ActionName action={e.action} />,
    },
    {
      accessor: 'outcome',
      title: t('audit.col.outcome'),
      render: (e) => (
        <Badge color={outcomeColor[e.outcome]} miw="max-content">
          {t(outcomeLabel[e.outcome])}
        </Badge>
      ),
    },
    {
      accessor: 'targetType',
      title: t('audit.col.target'),
      noWrap: true,
      render: (e) => <Target entry={e} />,
    },
    {
      accessor: 'ip',
      title: t('audit.col.ip'),
      render: (e) => (e.ip ? <Ltr mono fz="sm">{e.ip}</Ltr> : <Text span c="dimmed">—</Text>),
    },
    {
      accessor: 'requestId',
      title: t('audit.col.requestId'),
      render: (e) =>
        e.requestId ? (
          <LtrTruncate size="xs" c="dimmed" mono maw={110}>
            {e.requestId}
          </LtrTruncate>
        ) : (
          <Text span c="dimmed">—</Text>
        ),
    },
    {
      accessor: 'details',
      title: <span className="visually-hidden">{t('common.table.actions')}</span>,
      width: 56,
      render: (e) => (
        <Tooltip label={t('audit.openDetails')}>
          <ActionIcon variant="subtle" color="gray" aria-label={t('audit.openDetailsOf', { action: t(actionMessage(e.action) ?? 'audit.action.unknown') })} onClick={() => openEntry(e.id)}>
            <Chevron size={18} aria-hidden />
          </ActionIcon>
        </Tooltip>
      ),
    },
  ];

  return (
    <>
      <PageHeader title={t('audit.title')} description={t('audit.subtitle')} />

      <FiltersPanel
        summary={total !== undefined ? t('audit.count', { count: total }) : null}
        onClear={filtered ? () => table.setFilters(noFilters) : undefined}
        clearLabel={t('audit.filter.clear')}
      >
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} spacing="md">
          <Select
            label={t('audit.filter.action')}
            placeholder={t('audit.filter.allActions')}
            data={actionOptions}
            searchable
            maxDropdownHeight={320}
            comboboxProps={{ width: 300, position: 'bottom-start' }}
            {...filterSelectProps(table, 'action', t('audit.filter.clearAction'))}
          />
          <Select
            label={t('audit.filter.outcome')}
            placeholder={t('audit.filter.allOutcomes')}
            data={auditOutcomes.map((o) => ({ value: o, label: t(outcomeLabel[o]) }))}
            {...filterSelectProps(table, 'outcome', t('audit.filter.clearOutcome'))}
          />
          <SearchFilter
            label={t('audit.filter.actor')}
            placeholder={t('audit.filter.actorPlaceholder')}
            clearLabel={t('audit.filter.clearActor')}
            ltr
            value={table.filters.actor}
            onChange={(v) => table.setFilter('actor', v)}
          />
          <DateTimePicker
            label={t('audit.filter.from')}
            placeholder={t('audit.filter.anyTime')}
            valueFormat="D MMM YYYY, HH:mm"
            defaultTimeValue="00:00"
            clearable
            clearButtonProps={{ 'aria-label': t('audit.filter.clearFrom') } as React.ComponentProps<'button'>}
            submitButtonProps={{ 'aria-label': t('audit.filter.apply') }}
            value={toPicker(from)}
            onChange={(v) => table.setFilter('from', toIso(v))}
            popoverProps={{ position: 'bottom-end' }}
          />
          <DateTimePicker
            label={t('audit.filter.to')}
            placeholder={t('audit.filter.anyTime')}
            valueFormat="D MMM YYYY, HH:mm"
            defaultTimeValue="23:59"
            clearable
            clearButtonProps={{ 'aria-label': t('audit.filter.clearTo') } as React.ComponentProps<'button'>}
            submitButtonProps={{ 'aria-label': t('audit.filter.apply') }}
            value={toPicker(to)}
            onChange={(v) => table.setFilter('to', toIso(v) && dayjs(toIso(v)).endOf('minute').toISOString())}
            error={rangeError}
            popoverProps={{ position: 'bottom-end' }}
          />
        </SimpleGrid>
      </FiltersPanel>

      <DataTable<AuditEntry>
        label={t('audit.title')}
        columns={columns}
        table={table}
        query={entries}
        tableProps={{ horizontalSpacing: 'sm', onRowClick: ({ record, event }) => !(event.target as HTMLElement).closest('button, a') && openEntry(record.id) }}
        empty={
          filtered
            ? {
                icon: <IconListSearch aria-hidden />,
                title: t('audit.empty.filteredTitle'),
                description: t('audit.empty.filteredDescription'),
              }
            : { icon: <IconListSearch aria-hidden />, title: t('audit.empty.title') }
        }
      />

      <EntryDrawer entry={entryId ? (current ?? lastEntry.current) : lastEntry.current} opened={Boolean(entryId && (current ?? lastEntry.current))} onClose={() => openEntry(null)} />
    </>
  );
}

/** Date and time to the second, in the user's language: the audit log needs the seconds. */
function Timestamp({ value, long }: { value: string; long?: boolean }) {
  const date = new Date(value);
  return (
    <time dateTime={date.toISOString()}>
      <FormattedDate value={date} dateStyle={long ? 'full' : 'medium'} timeStyle={long ? 'long' : 'medium'} />
    </time>
  );
}

function ActionName({ action }: { action: string }) {
  const t = useT();
  const id = actionMessage(action);
  if (id) return <Text size="sm">{t(id)}</Text>;
  return (
    <Text size="sm" ff="monospace">
      <Ltr>{action}</Ltr>
    </Text>
  );
}

/** What the action was done to: a link to the account or organisation, the name of a role. */
function Target({ entry }: { entry: AuditEntry }) {
  const t = useT();
  const can = useCan();
  const { targetType: type, targetId: id } = entry;
  if (!type) return <Text span c="dimmed">—</Text>;
  const label = targetLabel[type] ? t(targetLabel[type]) : type;
  if (type === 'role' && isRole(id)) return <Badge color="gray">{t(roleLabel[id])}</Badge>;
  const link = id && type === 'user' && can('users.read') ? `/admin/users?user=${encodeURIComponent(id)}` : id && type === 'organisation' && can('organisations.read') ? `/admin/organisations?organisation=${encodeURIComponent(id)}` : null;
  if (link) {
    return (
      <Anchor component={Link} to={link} size="sm" title={id ?? undefined}>
        {label}
      </Anchor>
    );
  }
  return (
    <Text size="sm" title={id ?? undefined}>
      {label}
    </Text>
  );
}

function EntryDrawer({ entry, opened, onClose }: { entry: AuditEntry | null; opened: boolean; onClose: () => void }) {
  const t = useT();
  const details = entry && Object.keys(entry.details).length > 0 ? JSON.stringify(entry.details, null, 2) : null;
  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      // Mantine mirrors the side in right-to-left pages: the drawer opens from the end.
      position="right"
      size="lg"
      title={t('audit.detail.title')}
      closeButtonProps={{ 'aria-label': t('common.action.close') }}
      styles={{ title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {entry ? (
        <Stack gap="lg">
          <Group gap="sm">
            <Text fw={650} fz="lg">
              <ActionName action={entry.action} />
            </Text>
            <Badge color={outcomeColor[entry.outcome]}>{t(outcomeLabel[entry.outcome])}</Badge>
          </Group>
          <DataList orientation="horizontal" size="sm" labelWidth={150} withDivider>
            <Item label={t('audit.col.time')}>
              <Timestamp value={entry.occurredAt} long />
            </Item>
            <Item label={t('audit.detail.actionCode')}>
              <Ltr mono fz="sm">
                {entry.action}
              </Ltr>
            </Item>
            <Item label={t('audit.col.actor')}>
              {entry.actorEmail ? (
                <ActorLink entry={entry} />
              ) : (
                <Text span c="dimmed" size="sm">
                  {t('audit.actor.none')}
                </Text>
              )}
            </Item>
            <Item label={t('audit.col.target')}>
              <Stack gap={2}>
                <Target entry={entry} />
                {entry.targetId ? (
                  <Text size="xs" c="dimmed">
                    <Ltr mono>{entry.targetId}</Ltr>
                  </Text>
                ) : null}
              </Stack>
            </Item>
            <Item label={t('audit.col.ip')}>{entry.ip ? <Ltr mono fz="sm">{entry.ip}</Ltr> : '—'}</Item>
          </DataList>
          {entry.requestId ? (
            <Stack gap={6}>
              <Text size="sm" fw={600}>
                {t('audit.col.requestId')}
              </Text>
              <CopyField value={entry.requestId} label={t('audit.col.requestId')} />
            </Stack>
          ) : null}
          <Stack gap={6}>
            <Text size="sm" fw={600} id="audit-details-label">
              {t('audit.detail.details')}
            </Text>
            {details ? (
              <Code block dir="ltr" aria-labelledby="audit-details-label" style={{ textAlign: 'left', whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} fz="xs">
                {details}
              </Code>
            ) : (
              <Text size="sm" c="dimmed">
                {t('audit.detail.noDetails')}
              </Text>
            )}
          </Stack>
        </Stack>
      ) : null}
    </Drawer>
  );
}

/** The actor, linking to the account when the reader may see accounts. */
function ActorLink({ entry }: { entry: AuditEntry }) {
  const can = useCan();
  if (!can('users.read') || !entry.actorUserId) return <Ltr>{entry.actorEmail}</Ltr>;
  return (
    <Anchor component={Link} to={`/admin/users?user=${encodeURIComponent(entry.actorUserId)}`} size="sm">
      <Ltr>{entry.actorEmail}</Ltr>
    </Anchor>
  );
}

function Item({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}
