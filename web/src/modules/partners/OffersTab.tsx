import { useState } from 'react';
import { ActionIcon, Button, Group, Modal, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title, useDirection } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPencil, IconPlus, IconTools } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { z } from 'zod';
import { offerCreate, offerKinds, offerStatuses, offerUpdate, type Agreement, type Offer } from '@modules/partners/schemas.ts';
import { api, seg } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { DataTable } from '../../core/table/DataTable.tsx';
import { usePagedQuery, type Page } from '../../core/table/usePagedQuery.ts';
import { filterSelectProps, useTableState } from '../../core/table/useTableState.ts';
import { FormError } from '../../components/FormError.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { FiltersPanel, placeServerErrors, SearchFilter, validateChangedOnBlur } from '../users/admin-ui.tsx';
import { AccessRequests } from './AccessRequests.tsx';
import { offerKindLabel, OfferStatusBadge, offerStatusLabel, partnersKey } from './labels.tsx';

export const offersKey = [...partnersKey, 'offers'] as const;
const filters = ['search', 'kind', 'status'] as const;
const noFilters = { search: null, kind: null, status: null };

/**
 * The offers table: administrators see every offer and may record and change
 * them; a partner analyst sees its own organisation's, read-only.
 */
export function OffersTable({ manage }: { manage: boolean }) {
  const t = useT();
  const { dir } = useDirection();
  const table = useTableState({ defaultSort: 'name', filters, prefix: 'offers' });
  const list = usePagedQuery<Offer>([...offersKey, 'list'], '/api/partner-offers', table);
  const filtered = filters.some((f) => table.filters[f]);
  const [editing, setEditing] = useState<Offer | 'new' | null>(null);

  const columns: DataTableColumn<Offer>[] = [
    {
      accessor: 'name',
      title: t('partners.offer.name'),
      sortable: true,
      render: (o) => (
        <Stack gap={0}>
          <Text size="sm" fw={600}>
            <bdi>{o.name}</bdi>
          </Text>
          <Text size="xs" c="dimmed" lineClamp={2} maw={380}>
            <bdi>{o.description}</bdi>
          </Text>
        </Stack>
      ),
    },
    { accessor: 'kind', title: t('partners.col.kind'), render: (o) => t(offerKindLabel[o.kind]) },
    { accessor: 'organisationName', title: t('partners.offer.offeredBy'), render: (o) => <bdi>{o.organisationName}</bdi> },
    {
      accessor: 'agreement',
      title: t('partners.offer.agreement'),
      render: (o) =>
        o.agreement ? (
          <Text size="xs" ff="monospace">
            <Ltr>{o.agreement.reference}</Ltr>
          </Text>
        ) : (
          '—'
        ),
    },
    { accessor: 'status', title: t('partners.col.status'), render: (o) => <OfferStatusBadge status={o.status} open={o.open} /> },
    ...(manage
      ? [
          {
            accessor: 'actions',
            title: <span className="visually-hidden">{t('partners.col.actions')}</span>,
            textAlign: dir === 'rtl' ? ('left' as const) : ('right' as const),
            render: (o: Offer) => (
              <ActionIcon variant="subtle" color="gray" onClick={() => setEditing(o)} aria-label={t('partners.offer.edit', { name: o.name })}>
                <IconPencil size={18} aria-hidden />
              </ActionIcon>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      {manage ? (
        <Group justify="flex-end" mb="sm">
          <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setEditing('new')}>
            {t('partners.offer.create')}
          </Button>
        </Group>
      ) : null}
      <FiltersPanel summary={list.data ? t('partners.offers.count', { count: list.data.total }) : null} onClear={filtered ? () => table.setFilters(noFilters) : undefined} clearLabel={t('partners.filter.clear')}>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
          <SearchFilter label={t('partners.filter.search')} placeholder={t('partners.offers.searchPlaceholder')} value={table.filters.search} onChange={(v) => table.setFilter('search', v)} clearLabel={t('partners.filter.clearSearch')} />
          <Select label={t('partners.col.kind')} placeholder={t('partners.filter.allKinds')} data={offerKinds.map((k) => ({ value: k, label: t(offerKindLabel[k]) }))} {...filterSelectProps(table, 'kind', t('partners.filter.clearKind'))} />
          <Select label={t('partners.filter.status')} placeholder={t('partners.filter.allStatuses')} data={offerStatuses.map((s) => ({ value: s, label: t(offerStatusLabel[s]) }))} {...filterSelectProps(table, 'status', t('partners.filter.clearStatus'))} />
        </SimpleGrid>
      </FiltersPanel>
      <DataTable<Offer>
        label={t('partners.offers.title')}
        columns={columns}
        table={table}
        query={list}
        tableProps={{ horizontalSpacing: 'sm' }}
        empty={
          filtered
            ? { icon: <IconTools aria-hidden />, title: t('partners.empty.filteredTitle'), description: t('partners.empty.filteredDescription') }
            : { icon: <IconTools aria-hidden />, title: t('partners.offers.empty.title'), description: manage ? t('partners.offers.empty.admin') : t('partners.offers.empty.partner') }
        }
      />
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('partners.offer.createTitle') : t('partners.offer.editTitle')}
        size="lg"
        closeOnClickOutside={false}
        closeButtonProps={{ 'aria-label': t('common.action.close') }}
      >
        {editing ? <OfferForm offer={editing === 'new' ? null : editing} onDone={() => setEditing(null)} /> : null}
      </Modal>
    </>
  );
}

/** Administration → Partnerships → Tools & datasets: the offers, then the access requests on them. */
export function OffersTab() {
  const t = useT();
  return (
    <Stack gap="xl">
      <OffersTable manage />
      <Stack gap="sm">
        <Title order={2} fz="lg">
          {t('partners.access.title')}
        </Title>
        <AccessRequests prefix="requests" />
      </Stack>
    </Stack>
  );
}

type Values = { agreementId: string | null; kind: (typeof offerKinds)[number]; name: string; description: string; licenceTerms: string; status: (typeof offerStatuses)[number] };
const createPayload = (v: Values) => ({ agreementId: v.agreementId ?? '', kind: v.kind, name: v.name, description: v.description, licenceTerms: v.licenceTerms });
const updatePayload = (v: Values) => ({ kind: v.kind, name: v.name, description: v.description, licenceTerms: v.licenceTerms, status: v.status });
const createSchema = z.preprocess((v) => createPayload(v as Values), offerCreate);
const updateSchema = z.preprocess((v) => updatePayload(v as Values), offerUpdate);

function OfferForm({ offer, onDone }: { offer: Offer | null; onDone: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useZodForm<Values>(offer ? updateSchema : createSchema, {
    initialValues: {
      agreementId: offer?.agreement?.id ?? null,
      kind: offer?.kind ?? 'tool',
      name: offer?.name ?? '',
      description: offer?.description ?? '',
      licenceTerms: offer?.licenceTerms ?? '',
      status: offer?.status ?? 'available',
    },
    ...validateChangedOnBlur<Values>(),
  });
  // Offers are made under an analysis-tools-and-data agreement in force.
  const agreements = useQuery({
    queryKey: [...partnersKey, 'agreements', 'offer-options'],
    queryFn: ({ signal }) => api.get<Page<Agreement>>('/api/partner-agreements', { query: { kind: 'analysis_tools_and_data', status: 'active', pageSize: 200, sort: 'title' }, signal }),
    enabled: offer === null,
  });
  const save = useMutation({
    mutationFn: (v: Values) => (offer ? api.patch<Offer>(`/api/partner-offers/${seg(offer.id)}`, updatePayload(v)) : api.post<Offer>('/api/partner-offers', createPayload(v))),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: offersKey });
      notify.success(t(offer ? 'partners.offer.updated' : 'partners.offer.created', { name: saved.name }));
      onDone();
    },
    onError: (error) => {
      if (!placeServerErrors(form, error, t)) setFormError(errorText(error));
    },
  });
  return (
    <form noValidate onSubmit={form.onSubmit((v) => save.mutate(v))}>
      <Stack gap="md">
        <FormError>{formError}</FormError>
        {offer ? (
          <Text size="sm" c="dimmed">
            <bdi>{offer.organisationName}</bdi>
            {offer.agreement ? (
              <>
                {' · '}
                <Ltr mono>{offer.agreement.reference}</Ltr>
              </>
            ) : null}
          </Text>
        ) : (
          <Select
            label={t('partners.offer.agreement')}
            description={t('partners.offer.agreementHint')}
            required
            searchable
            nothingFoundMessage={t('partners.offer.noAgreement')}
            data={(agreements.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.organisationName} — ${a.title} (${a.reference})` }))}
            {...form.getInputProps('agreementId')}
          />
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput label={t('partners.offer.name')} required {...form.getInputProps('name')} />
          <Select label={t('partners.col.kind')} required allowDeselect={false} data={offerKinds.map((k) => ({ value: k, label: t(offerKindLabel[k]) }))} {...form.getInputProps('kind')} />
        </SimpleGrid>
        <Textarea label={t('partners.offer.description')} required autosize minRows={3} maxRows={10} {...form.getInputProps('description')} />
        <Textarea label={t('partners.offer.licence')} description={t('partners.offer.licenceHint')} required autosize minRows={3} maxRows={10} {...form.getInputProps('licenceTerms')} />
        {offer ? (
          <Select label={t('partners.col.status')} allowDeselect={false} data={offerStatuses.map((s) => ({ value: s, label: t(offerStatusLabel[s]) }))} {...form.getInputProps('status')} />
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone} disabled={save.isPending}>
            {t('common.action.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {offer ? t('common.action.save') : t('partners.offer.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
