import { useState } from 'react';
import { ActionIcon, Button, Group, Modal, Select, useDirection, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconFileText, IconPlus, IconUserShare } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { z } from 'zod';
import { secondmentCreate, secondmentStatuses, type Agreement, type Secondment } from '@modules/partners/schemas.ts';
import { api } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { DataTable } from '../../core/table/DataTable.tsx';
import { usePagedQuery, type Page } from '../../core/table/usePagedQuery.ts';
import { useTableState, filterSelectProps } from '../../core/table/useTableState.ts';
import { DateOnly } from '../../components/DateTime.tsx';
import { FormError } from '../../components/FormError.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { FiltersPanel, placeServerErrors, validateChangedOnBlur } from '../users/admin-ui.tsx';
import { partnersKey, SecondmentStatusBadge, secondmentStatusLabel } from './labels.tsx';
import { OrgPicker } from './OrgPicker.tsx';
import { SecondmentReports } from './SecondmentReports.tsx';

const filters = ['status'] as const;

export function SecondmentsTab() {
  const t = useT();
  const table = useTableState({ filters });
  const list = usePagedQuery<Secondment>([...partnersKey, 'secondments', 'list'], '/api/partner-secondments', table);
  const [creating, setCreating] = useState(false);
  const [reportsOf, setReportsOf] = useState<Secondment | null>(null);
  const { dir } = useDirection();

  const columns: DataTableColumn<Secondment>[] = [
    {
      accessor: 'expertName',
      title: t('partners.secondment.expert'),
      render: (s) => (
        <Stack gap={0}>
          <Text size="sm" fw={600}>
            <bdi>{s.expertName}</bdi>
          </Text>
          {s.expertEmail ? (
            <Text size="xs" c="dimmed">
              <Ltr>{s.expertEmail}</Ltr>
            </Text>
          ) : null}
        </Stack>
      ),
    },
    { accessor: 'organisationName', title: t('partners.secondment.partner'), render: (s) => <bdi>{s.organisationName}</bdi> },
    { accessor: 'hostOrganisationName', title: t('partners.secondment.host'), render: (s) => <bdi>{s.hostOrganisationName}</bdi> },
    { accessor: 'startsOn', title: t('partners.agreement.startsOn'), render: (s) => <DateOnly value={s.startsOn} /> },
    { accessor: 'endsOn', title: t('partners.agreement.endsOn'), render: (s) => <DateOnly value={s.endsOn} /> },
    { accessor: 'status', title: t('partners.col.status'), render: (s) => <SecondmentStatusBadge status={s.status} /> },
    {
      accessor: 'actions',
      title: <span className="visually-hidden">{t('partners.col.actions')}</span>,
      textAlign: dir === 'rtl' ? 'left' : 'right',
      render: (s) => (
        <ActionIcon variant="subtle" color="gray" onClick={() => setReportsOf(s)} aria-label={t('partners.reports.open', { name: s.expertName })}>
          <IconFileText size={18} aria-hidden />
        </ActionIcon>
      ),
    },
  ];

  return (
    <>
      <Group justify="flex-end" mb="sm">
        <Button leftSection={<IconPlus size={18} aria-hidden />} onClick={() => setCreating(true)}>
          {t('partners.secondments.create')}
        </Button>
      </Group>
      <FiltersPanel
        summary={list.data ? t('partners.secondments.count', { count: list.data.total }) : null}
        onClear={table.filters.status ? () => table.setFilters({ status: null }) : undefined}
        clearLabel={t('partners.filter.clear')}
      >
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
          <Select
            label={t('partners.filter.status')}
            placeholder={t('partners.filter.allStatuses')}
            data={secondmentStatuses.map((s) => ({ value: s, label: t(secondmentStatusLabel[s]) }))}
            {...filterSelectProps(table, 'status', t('partners.filter.clearStatus'))}
          />
        </SimpleGrid>
      </FiltersPanel>
      <DataTable<Secondment>
        label={t('partners.tab.secondments')}
        columns={columns}
        table={table}
        query={list}
        tableProps={{ horizontalSpacing: 'sm' }}
        empty={
          table.filters.status
            ? { icon: <IconUserShare aria-hidden />, title: t('partners.empty.filteredTitle'), description: t('partners.empty.filteredDescription') }
            : { icon: <IconUserShare aria-hidden />, title: t('partners.secondments.empty.title'), description: t('partners.secondments.empty.description') }
        }
      />
      <Modal opened={reportsOf !== null} onClose={() => setReportsOf(null)} title={t('partners.reports.title')} size="xl" closeButtonProps={{ 'aria-label': t('common.action.close') }}>
        {reportsOf ? <SecondmentReports secondment={reportsOf} /> : null}
      </Modal>
      <Modal opened={creating} onClose={() => setCreating(false)} title={t('partners.secondment.createTitle')} size="lg" closeOnClickOutside={false} closeButtonProps={{ 'aria-label': t('common.action.close') }}>
        {creating ? <SecondmentForm onDone={() => setCreating(false)} /> : null}
      </Modal>
    </>
  );
}

type Values = {
  organisationId: string | null;
  agreementId: string | null;
  hostOrganisationId: string | null;
  expertName: string;
  expertEmail: string;
  startsOn: string | null;
  endsOn: string | null;
  objectives: string;
};
const payload = (v: Values) => ({ ...v, organisationId: v.organisationId ?? '', hostOrganisationId: v.hostOrganisationId ?? '', startsOn: v.startsOn ?? '', endsOn: v.endsOn ?? '', expertEmail: v.expertEmail.trim() || null });
const schema = z.preprocess((v) => payload(v as Values), secondmentCreate);

function SecondmentForm({ onDone }: { onDone: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useZodForm<Values>(schema, {
    initialValues: { organisationId: null, agreementId: null, hostOrganisationId: null, expertName: '', expertEmail: '', startsOn: null, endsOn: null, objectives: '' },
    ...validateChangedOnBlur<Values>(),
  });
  const values = form.getValues();
  const agreements = useQuery({
    queryKey: [...partnersKey, 'agreements', 'secondment-options', values.organisationId],
    queryFn: ({ signal }) => api.get<Page<Agreement>>('/api/partner-agreements', { query: { organisationId: values.organisationId, kind: 'expert_secondment', pageSize: 100 }, signal }),
    enabled: Boolean(values.organisationId),
  });
  const save = useMutation({
    mutationFn: (v: Values) => api.post<Secondment>('/api/partner-secondments', payload(v)),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: [...partnersKey, 'secondments'] });
      notify.success(t('partners.secondment.created', { name: saved.expertName }));
      onDone();
    },
    onError: (error) => {
      if (!placeServerErrors(form, error, t)) setFormError(errorText(error));
    },
  });
  const dateProps = { placeholder: t('partners.agreement.datePlaceholder'), valueFormat: 'D MMMM YYYY', popoverProps: { withinPortal: true } } as const;
  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) => {
        setFormError(null);
        if (v.startsOn && v.endsOn && v.endsOn < v.startsOn) {
          form.setFieldError('endsOn', t('partners.agreement.endBeforeStart'));
          return;
        }
        save.mutate(v);
      })}
    >
      <Stack gap="md">
        <FormError>{formError}</FormError>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <OrgPicker
            kind="partner"
            label={t('partners.secondment.partner')}
            required
            {...form.getInputProps('organisationId')}
            value={values.organisationId}
            onChange={(v) => {
              form.setFieldValue('organisationId', v);
              form.setFieldValue('agreementId', null);
            }}
          />
          <Select
            label={t('partners.secondment.agreement')}
            placeholder={t('partners.secondment.noAgreement')}
            disabled={!values.organisationId}
            data={(agreements.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.title} (${a.reference})` }))}
            clearable
            {...form.getInputProps('agreementId')}
          />
        </SimpleGrid>
        <OrgPicker kind="police_unit" label={t('partners.secondment.host')} required {...form.getInputProps('hostOrganisationId')} value={values.hostOrganisationId} onChange={(v) => form.setFieldValue('hostOrganisationId', v)} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput label={t('partners.secondment.expertName')} required autoComplete="off" {...form.getInputProps('expertName')} />
          <TextInput label={t('partners.secondment.expertEmail')} type="email" dir="ltr" autoComplete="off" {...form.getInputProps('expertEmail')} />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <DateInput label={t('partners.agreement.startsOn')} required {...dateProps} {...form.getInputProps('startsOn')} value={values.startsOn} onChange={(v) => form.setFieldValue('startsOn', v)} />
          <DateInput label={t('partners.agreement.endsOn')} required minDate={values.startsOn ?? undefined} {...dateProps} {...form.getInputProps('endsOn')} value={values.endsOn} onChange={(v) => form.setFieldValue('endsOn', v)} />
        </SimpleGrid>
        <Textarea label={t('partners.secondment.objectives')} required autosize minRows={3} maxRows={10} {...form.getInputProps('objectives')} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            {t('common.action.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('partners.secondment.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
