import { useState } from 'react';
import { Alert, Button, Card, Modal, Select, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconInfoCircle, IconKey, IconTools } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { accessRequestCreate, offerKinds, type AccessRequest, type Offer } from '@modules/partners/schemas.ts';
import { api, seg } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { DataTable } from '../../core/table/DataTable.tsx';
import { usePagedQuery } from '../../core/table/usePagedQuery.ts';
import { filterSelectProps, useTableState } from '../../core/table/useTableState.ts';
import { DateOnly } from '../../components/DateTime.tsx';
import { FormError } from '../../components/FormError.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useT.ts';
import { FiltersPanel, placeServerErrors, SearchFilter, validateChangedOnBlur } from '../users/admin-ui.tsx';
import { AccessRequests, accessKey } from './AccessRequests.tsx';
import { AccessStateBadge, offerKindLabel } from './labels.tsx';
import { offersKey } from './OffersTab.tsx';

const filters = ['search', 'kind'] as const;
const noFilters = { search: null, kind: null };

/**
 * Tools & datasets: what partners offer to police units under their analysis
 * agreements. A user requests access for themselves, with a purpose; the
 * offering partner or an administrator decides, with an expiry date.
 */
export default function CataloguePage() {
  const t = useT();
  const table = useTableState({ defaultSort: 'name', filters, prefix: 'offers' });
  const list = usePagedQuery<Offer>([...offersKey, 'catalogue'], '/api/partner-offers', table);
  const filtered = filters.some((f) => table.filters[f]);
  const [requesting, setRequesting] = useState<Offer | null>(null);

  const columns: DataTableColumn<Offer>[] = [
    {
      accessor: 'name',
      title: t('partners.offer.name'),
      sortable: true,
      render: (o) => (
        <Stack gap={2} maw={420}>
          <Text size="sm" fw={600}>
            <bdi>{o.name}</bdi>
          </Text>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
            <bdi>{o.description}</bdi>
          </Text>
        </Stack>
      ),
    },
    { accessor: 'kind', title: t('partners.col.kind'), render: (o) => t(offerKindLabel[o.kind]) },
    { accessor: 'organisationName', title: t('partners.offer.offeredBy'), render: (o) => <bdi>{o.organisationName}</bdi> },
    {
      accessor: 'licenceTerms',
      title: t('partners.offer.licence'),
      render: (o) => (
        <Text size="xs" lineClamp={4} maw={300}>
          <bdi>{o.licenceTerms}</bdi>
        </Text>
      ),
    },
    {
      accessor: 'myRequest',
      title: t('partners.catalogue.myAccess'),
      render: (o) => {
        const mine = o.myRequest;
        const blocking = mine && (mine.state === 'pending' || mine.state === 'active');
        return (
          <Stack gap={4} align="flex-start">
            {mine ? <AccessStateBadge state={mine.state} /> : null}
            {mine?.state === 'active' && mine.expiresOn ? (
              <Text size="xs" c="dimmed">
                {t('partners.access.until')} <DateOnly value={mine.expiresOn} />
              </Text>
            ) : null}
            {!blocking && o.open ? (
              <Button size="xs" variant="light" leftSection={<IconKey size={14} aria-hidden />} onClick={() => setRequesting(o)} aria-label={t('partners.catalogue.requestFor', { name: o.name })}>
                {t('partners.catalogue.request')}
              </Button>
            ) : null}
          </Stack>
        );
      },
    },
  ];

  return (
    <>
      <PageHeader title={t('partners.catalogue.title')} description={t('partners.catalogue.subtitle')} />
      <Stack gap="xl">
        <Stack gap="sm">
          <FiltersPanel summary={list.data ? t('partners.offers.count', { count: list.data.total }) : null} onClear={filtered ? () => table.setFilters(noFilters) : undefined} clearLabel={t('partners.filter.clear')}>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
              <SearchFilter label={t('partners.filter.search')} placeholder={t('partners.offers.searchPlaceholder')} value={table.filters.search} onChange={(v) => table.setFilter('search', v)} clearLabel={t('partners.filter.clearSearch')} />
              <Select label={t('partners.col.kind')} placeholder={t('partners.filter.allKinds')} data={offerKinds.map((k) => ({ value: k, label: t(offerKindLabel[k]) }))} {...filterSelectProps(table, 'kind', t('partners.filter.clearKind'))} />
            </SimpleGrid>
          </FiltersPanel>
          <DataTable<Offer>
            label={t('partners.catalogue.title')}
            columns={columns}
            table={table}
            query={list}
            tableProps={{ horizontalSpacing: 'sm' }}
            empty={
              filtered
                ? { icon: <IconTools aria-hidden />, title: t('partners.empty.filteredTitle'), description: t('partners.empty.filteredDescription') }
                : { icon: <IconTools aria-hidden />, title: t('partners.catalogue.empty.title'), description: t('partners.catalogue.empty.description') }
            }
          />
        </Stack>
        <Stack gap="sm" component="section" aria-labelledby="my-requests">
          <Title order={2} fz="lg" id="my-requests">
            {t('partners.access.mine')}
          </Title>
          <AccessRequests mine prefix="mine" />
        </Stack>
      </Stack>
      <Modal opened={requesting !== null} onClose={() => setRequesting(null)} title={t('partners.catalogue.requestTitle')} size="lg" closeButtonProps={{ 'aria-label': t('common.action.close') }}>
        {requesting ? <RequestForm offer={requesting} onDone={() => setRequesting(null)} /> : null}
      </Modal>
    </>
  );
}

function RequestForm({ offer, onDone }: { offer: Offer; onDone: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useZodForm<{ purpose: string }>(accessRequestCreate, { initialValues: { purpose: '' }, ...validateChangedOnBlur<{ purpose: string }>() });
  const save = useMutation({
    mutationFn: (v: { purpose: string }) => api.post<AccessRequest>(`/api/partner-offers/${seg(offer.id)}/requests`, v),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: offersKey });
      void client.invalidateQueries({ queryKey: accessKey });
      notify.success(t('partners.catalogue.requested', { name: offer.name }));
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
        <Text size="sm" fw={600}>
          <bdi>{offer.name}</bdi> · <bdi>{offer.organisationName}</bdi>
        </Text>
        <Card withBorder radius="md" p="sm">
          <Text size="xs" fw={700} mb={4}>
            {t('partners.offer.licence')}
          </Text>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            <bdi>{offer.licenceTerms}</bdi>
          </Text>
        </Card>
        <Textarea label={t('partners.catalogue.purpose')} description={t('partners.catalogue.purposeHint')} required autosize minRows={3} maxRows={8} {...form.getInputProps('purpose')} />
        <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
          {t('partners.catalogue.requestNote')}
        </Alert>
        <SimpleGrid cols={2} spacing="sm">
          <Button variant="default" onClick={onDone} disabled={save.isPending}>
            {t('common.action.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('partners.catalogue.submit')}
          </Button>
        </SimpleGrid>
      </Stack>
    </form>
  );
}
