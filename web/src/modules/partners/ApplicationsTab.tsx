import { useRef, useState } from 'react';
import { Anchor, Badge, Button, Divider, Drawer, Group, Radio, SimpleGrid, Select, Stack, Text, Textarea, Timeline, Title, DataList, Modal } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconInbox, IconMessage, IconArrowsRightLeft, IconInboxOff, IconCirclePlus } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { useSearchParams } from 'react-router';
import { z } from 'zod';
import { partnerSectors } from '@modules/organisations/schemas.ts';
import { applicationNote, applicationStatuses, partnershipKinds, type Application, type ApplicationStatus } from '@modules/partners/schemas.ts';
import { api, isApiError, seg } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { DataTable } from '../../core/table/DataTable.tsx';
import { usePagedQuery } from '../../core/table/usePagedQuery.ts';
import { useTableState, filterSelectProps } from '../../core/table/useTableState.ts';
import { DateTime } from '../../components/DateTime.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { FormError } from '../../components/FormError.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { FiltersPanel, SearchFilter } from '../users/admin-ui.tsx';
import { countryFilter, sectorLabel, useCountryName, useCountryOptions } from '../organisations/reference.ts';
import { ApplicationStatusBadge, applicationStatusLabel, kindLabel, partnersKey } from './labels.tsx';
import { OrgPicker } from './OrgPicker.tsx';

type Summary = Omit<Application, 'message' | 'nextStatuses' | 'history'>;

const filters = ['search', 'status', 'kind', 'sector', 'countryCode'] as const;
const noFilters = { search: null, status: null, kind: null, sector: null, countryCode: null };
const applicationsKey = [...partnersKey, 'applications'] as const;

export function ApplicationsTab() {
  const t = useT();
  const countryName = useCountryName();
  const countryOptions = useCountryOptions();
  const table = useTableState({ defaultSort: '-receivedAt', filters });
  const list = usePagedQuery<Summary>([...applicationsKey, 'list'], '/api/partner-applications', table);
  const [params, setParams] = useSearchParams();
  const filtered = filters.some((f) => table.filters[f]);

  const open = (id: string | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (id) next.set('application', id);
      else next.delete('application');
      return next;
    });

  const columns: DataTableColumn<Summary>[] = [
    {
      accessor: 'organisationName',
      title: t('partners.col.organisation'),
      render: (a) => (
        <Anchor component="button" type="button" size="sm" fw={600} c="inherit" ta="start" onClick={() => open(a.id)} aria-label={t('partners.openNamed', { name: a.organisationName })}>
          <bdi>{a.organisationName}</bdi>
        </Anchor>
      ),
    },
    { accessor: 'sector', title: t('partners.col.sector'), render: (a) => t(sectorLabel[a.sector]) },
    { accessor: 'countryCode', title: t('partners.col.country'), render: (a) => countryName(a.countryCode) },
    {
      accessor: 'contactName',
      title: t('partners.col.contact'),
      render: (a) => (
        <Stack gap={0}>
          <Text size="sm">
            <bdi>{a.contactName}</bdi>
          </Text>
          <Text size="xs" c="dimmed">
            <Ltr>{a.email}</Ltr>
          </Text>
        </Stack>
      ),
    },
    {
      accessor: 'kinds',
      title: t('partners.col.kinds'),
      render: (a) => (
        <Group gap={4}>
          {a.kinds.map((k) => (
            <Badge key={k} variant="outline" color="navy" size="sm" tt="none">
              {t(kindLabel[k])}
            </Badge>
          ))}
        </Group>
      ),
    },
    { accessor: 'status', title: t('partners.col.status'), render: (a) => <ApplicationStatusBadge status={a.status} /> },
    { accessor: 'receivedAt', title: t('partners.col.received'), sortable: true, render: (a) => <DateTime value={a.receivedAt} /> },
  ];

  return (
    <>
      <FiltersPanel
        summary={list.data ? t('partners.applications.count', { count: list.data.total }) : null}
        onClear={filtered ? () => table.setFilters(noFilters) : undefined}
        clearLabel={t('partners.filter.clear')}
      >
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} spacing="md">
          <SearchFilter
            label={t('partners.filter.search')}
            placeholder={t('partners.filter.searchPlaceholder')}
            clearLabel={t('partners.filter.clearSearch')}
            value={table.filters.search}
            onChange={(v) => table.setFilter('search', v)}
          />
          <Select
            label={t('partners.filter.status')}
            placeholder={t('partners.filter.allStatuses')}
            data={applicationStatuses.map((s) => ({ value: s, label: t(applicationStatusLabel[s]) }))}
            {...filterSelectProps(table, 'status', t('partners.filter.clearStatus'))}
          />
          <Select
            label={t('partners.filter.kind')}
            placeholder={t('partners.filter.allKinds')}
            data={partnershipKinds.map((k) => ({ value: k, label: t(kindLabel[k]) }))}
            {...filterSelectProps(table, 'kind', t('partners.filter.clearKind'))}
          />
          <Select
            label={t('partners.filter.sector')}
            placeholder={t('partners.filter.allSectors')}
            data={partnerSectors.map((s) => ({ value: s, label: t(sectorLabel[s]) }))}
            {...filterSelectProps(table, 'sector', t('partners.filter.clearSector'))}
          />
          <Select
            label={t('partners.filter.country')}
            placeholder={t('partners.filter.allCountries')}
            data={countryOptions}
            searchable
            filter={countryFilter}
            nothingFoundMessage={t('partners.apply.noCountry')}
            maxDropdownHeight={280}
            {...filterSelectProps(table, 'countryCode', t('partners.filter.clearCountry'))}
          />
        </SimpleGrid>
      </FiltersPanel>
      <DataTable<Summary>
        label={t('partners.tab.applications')}
        columns={columns}
        table={table}
        query={list}
        tableProps={{ horizontalSpacing: 'sm', onRowClick: ({ record, event }) => !(event.target as HTMLElement).closest('button, a') && open(record.id) }}
        empty={
          filtered
            ? {
                icon: <IconInboxOff aria-hidden />,
                title: t('partners.empty.filteredTitle'),
                description: t('partners.empty.filteredDescription'),
                action: (
                  <Button variant="light" onClick={() => table.setFilters(noFilters)}>
                    {t('partners.filter.clear')}
                  </Button>
                ),
              }
            : { icon: <IconInbox aria-hidden />, title: t('partners.applications.empty.title'), description: t('partners.applications.empty.description') }
        }
      />
      <ApplicationDrawer id={params.get('application')} onClose={() => open(null)} />
    </>
  );
}

function ApplicationDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const t = useT();
  const last = useRef(id);
  if (id) last.current = id;
  const shown = id ?? last.current;
  const one = useQuery({
    queryKey: [...applicationsKey, 'one', shown],
    queryFn: ({ signal }) => api.get<Application>(`/api/partner-applications/${seg(shown ?? '')}`, { signal }),
    enabled: Boolean(shown),
  });
  return (
    <Drawer
      opened={Boolean(id)}
      onClose={onClose}
      position="right"
      size="lg"
      title={t('partners.application.title')}
      closeButtonProps={{ 'aria-label': t('common.action.close') }}
      styles={{ title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {one.isPending ? (
        <LoadingState variant="form" rows={4} />
      ) : one.error ? (
        <ErrorState error={one.error} onRetry={() => void one.refetch()} />
      ) : one.data ? (
        <ApplicationDetail key={one.data.id} application={one.data} />
      ) : null}
    </Drawer>
  );
}

function ApplicationDetail({ application: a }: { application: Application }) {
  const t = useT();
  const countryName = useCountryName();
  const [moving, setMoving] = useState<ApplicationStatus | null>(null);
  return (
    <Stack gap="lg">
      <Stack gap={6}>
        <Title order={2} fz="xl">
          <bdi>{a.organisationName}</bdi>
        </Title>
        <Group gap={6}>
          <ApplicationStatusBadge status={a.status} />
          <Badge variant="light" color="gray" tt="none">
            {t(sectorLabel[a.sector])}
          </Badge>
        </Group>
      </Stack>
      <DataList orientation="horizontal" size="sm" labelWidth={150} withDivider>
        <DataList.Item>
          <DataList.ItemLabel>{t('partners.application.contact')}</DataList.ItemLabel>
          <DataList.ItemValue>
            <bdi>{a.contactName}</bdi>
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>{t('partners.application.email')}</DataList.ItemLabel>
          <DataList.ItemValue>
            <Anchor href={`mailto:${a.email}`} size="sm">
              <Ltr>{a.email}</Ltr>
            </Anchor>
          </DataList.ItemValue>
        </DataList.Item>
        {a.phone ? (
          <DataList.Item>
            <DataList.ItemLabel>{t('partners.application.phone')}</DataList.ItemLabel>
            <DataList.ItemValue>
              <Ltr>{a.phone}</Ltr>
            </DataList.ItemValue>
          </DataList.Item>
        ) : null}
        <DataList.Item>
          <DataList.ItemLabel>{t('partners.application.country')}</DataList.ItemLabel>
          <DataList.ItemValue>{countryName(a.countryCode)}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>{t('partners.col.kinds')}</DataList.ItemLabel>
          <DataList.ItemValue>{a.kinds.map((k) => t(kindLabel[k])).join(' · ')}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>{t('partners.application.received')}</DataList.ItemLabel>
          <DataList.ItemValue>
            <DateTime value={a.receivedAt} />
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          {t('partners.application.message')}
        </Text>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} p="sm" bg="gray.0" bdrs="md">
          <bdi>{a.message}</bdi>
        </Text>
      </Stack>
      <Divider />
      <Stack gap="xs">
        <Title order={3} fz="md">
          {t('partners.application.next')}
        </Title>
        {a.nextStatuses.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('partners.application.closed')}
          </Text>
        ) : (
          <Group gap="sm">
            {a.nextStatuses.map((s) => (
              <Button key={s} variant={s === 'declined' ? 'default' : s === 'accepted' ? 'filled' : 'light'} color={s === 'declined' ? 'red' : s === 'accepted' ? 'teal' : undefined} onClick={() => setMoving(s)}>
                {t(`partners.transition.${s}`)}
              </Button>
            ))}
          </Group>
        )}
      </Stack>
      <NoteForm application={a} />
      <Divider />
      <History application={a} />
      <TransitionModal application={a} to={moving} onClose={() => setMoving(null)} />
    </Stack>
  );
}

function History({ application: a }: { application: Application }) {
  const t = useT();
  const events = [...a.history].reverse();
  return (
    <Stack gap="sm">
      <Title order={3} fz="md">
        {t('partners.application.history')}
      </Title>
      <Timeline bulletSize={26} lineWidth={2} active={events.length}>
        {events.map((e) => (
          <Timeline.Item
            key={e.id}
            bullet={e.kind === 'note' ? <IconMessage size={14} aria-hidden /> : e.kind === 'status' ? <IconArrowsRightLeft size={14} aria-hidden /> : <IconCirclePlus size={14} aria-hidden />}
            title={
              e.kind === 'received'
                ? t('partners.history.received')
                : e.kind === 'status' && e.fromStatus && e.toStatus
                  ? t('partners.history.status', { from: t(applicationStatusLabel[e.fromStatus]), to: t(applicationStatusLabel[e.toStatus]) })
                  : t('partners.history.note')
            }
          >
            {e.note ? (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                <bdi>{e.note}</bdi>
              </Text>
            ) : null}
            <Text size="xs" c="dimmed" mt={2}>
              <DateTime value={e.occurredAt} />
              {e.authorEmail ? (
                <>
                  {' · '}
                  {t('partners.history.by', { author: '\u2066' + e.authorEmail + '\u2069' })}
                </>
              ) : null}
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Stack>
  );
}

function NoteForm({ application: a }: { application: Application }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useZodForm<{ note: string }>(applicationNote, { initialValues: { note: '' } });
  const add = useMutation({
    mutationFn: (v: { note: string }) => api.post<Application>(`/api/partner-applications/${seg(a.id)}/notes`, v),
    onSuccess: (saved) => {
      client.setQueryData([...applicationsKey, 'one', a.id], saved);
      form.reset();
      notify.success(t('partners.note.added'));
    },
    onError: (error) => setFormError(errorText(error)),
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) => {
        setFormError(null);
        add.mutate(v);
      })}
    >
      <Stack gap="xs">
        <FormError>{formError}</FormError>
        <Textarea label={t('partners.note.label')} placeholder={t('partners.note.placeholder')} autosize minRows={2} maxRows={8} {...form.getInputProps('note')} />
        <Group justify="flex-end">
          <Button type="submit" variant="light" size="sm" loading={add.isPending}>
            {t('partners.note.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type TransitionValues = { note: string; mode: 'create' | 'link'; organisationId: string | null };
const transitionSchema = z.object({ note: z.string().max(5000), mode: z.enum(['create', 'link']), organisationId: z.string().nullable() });

function TransitionModal({ application: a, to, onClose }: { application: Application; to: ApplicationStatus | null; onClose: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const last = useRef(to);
  if (to) last.current = to;
  const status = to ?? last.current;
  const [formError, setFormError] = useState<string | null>(null);
  const form = useZodForm<TransitionValues>(transitionSchema, { initialValues: { note: '', mode: 'create', organisationId: null } });
  const values = form.getValues();
  const move = useMutation({
    mutationFn: (v: TransitionValues) =>
      api.post<Application>(`/api/partner-applications/${seg(a.id)}/transitions`, {
        to: status,
        ...(v.note.trim() ? { note: v.note.trim() } : {}),
        ...(status === 'accepted' && v.mode === 'link' && v.organisationId ? { organisationId: v.organisationId } : {}),
      }),
    onSuccess: (saved) => {
      client.setQueryData([...applicationsKey, 'one', a.id], saved);
      void client.invalidateQueries({ queryKey: [...applicationsKey, 'list'] });
      if (saved.status === 'accepted') void client.invalidateQueries({ queryKey: ['organisations'] });
      notify.success(t('partners.transition.done', { status: t(applicationStatusLabel[saved.status]) }));
      form.reset();
      onClose();
    },
    onError: (error) => {
      if (isApiError(error) && error.code === 'conflict' && error.message.startsWith('organisationId: a partner organisation with this name')) {
        form.setFieldValue('mode', 'link');
        setFormError(t('partners.accept.nameTaken'));
        return;
      }
      setFormError(errorText(error));
    },
  });
  if (!status) return null;
  return (
    <Modal
      opened={to !== null}
      onClose={onClose}
      title={t('partners.transition.title', { status: t(applicationStatusLabel[status]) })}
      centered
      radius="md"
      closeButtonProps={{ 'aria-label': t('common.action.close') }}
    >
      <form
        noValidate
        onSubmit={form.onSubmit((v) => {
          setFormError(null);
          if (status === 'accepted' && v.mode === 'link' && !v.organisationId) {
            form.setFieldError('organisationId', t('partners.accept.organisationRequired'));
            return;
          }
          move.mutate(v);
        })}
      >
        <Stack gap="md">
          <FormError>{formError}</FormError>
          {status === 'accepted' ? (
            <Radio.Group label={t('partners.accept.mode')} {...form.getInputProps('mode')}>
              <Stack gap="xs" mt="xs">
                <Radio value="create" label={t('partners.accept.create')} />
                <Radio value="link" label={t('partners.accept.link')} />
              </Stack>
            </Radio.Group>
          ) : null}
          {status === 'accepted' && values.mode === 'link' ? (
            <OrgPicker kind="partner" label={t('partners.accept.organisation')} required {...form.getInputProps('organisationId')} value={values.organisationId} onChange={(v) => form.setFieldValue('organisationId', v)} />
          ) : null}
          <Textarea label={t('partners.transition.note')} description={t('partners.transition.noteHint')} autosize minRows={2} maxRows={8} data-autofocus {...form.getInputProps('note')} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} disabled={move.isPending}>
              {t('common.action.cancel')}
            </Button>
            <Button type="submit" color={status === 'declined' ? 'red' : status === 'accepted' ? 'teal' : undefined} loading={move.isPending}>
              {t(`partners.transition.${status}`)}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
