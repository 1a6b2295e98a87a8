import { useState } from 'react';
import { ActionIcon, Button, Group, Modal, SegmentedControl, Select, SimpleGrid, Stack, Text, Textarea, Tooltip, useDirection } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconCheck, IconInbox, IconPlayerStop, IconX } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { FormattedMessage } from 'react-intl';
import { z } from 'zod';
import { accessDecision, accessStates, type AccessRequest } from '@modules/partners/schemas.ts';
import { api, seg } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { DataTable } from '../../core/table/DataTable.tsx';
import { usePagedQuery } from '../../core/table/usePagedQuery.ts';
import { filterSelectProps, useTableState } from '../../core/table/useTableState.ts';
import { DateOnly, DateTime } from '../../components/DateTime.tsx';
import { FormError } from '../../components/FormError.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { FiltersPanel, placeServerErrors, validateChangedOnBlur } from '../users/admin-ui.tsx';
import { accessStateLabel, AccessStateBadge, offerKindLabel, partnersKey } from './labels.tsx';

export const accessKey = [...partnersKey, 'access'] as const;
const filters = ['state'] as const;

/**
 * Access requests as the caller may see them: a police user their own
 * (`mine`), a partner analyst those on its offers, administrators all. Rows the
 * caller may decide carry approve / refuse / revoke actions.
 */
export function AccessRequests({ mine = false, prefix }: { mine?: boolean; prefix: string }) {
  const t = useT();
  const { dir } = useDirection();
  const table = useTableState({ defaultSort: '-requestedAt', filters, prefix });
  const list = usePagedQuery<AccessRequest>([...accessKey, 'list', mine], '/api/partner-access-requests', { query: { ...table.query, ...(mine ? { mine: 'true' } : {}) } });
  const [deciding, setDeciding] = useState<{ request: AccessRequest; action: 'approve' | 'refuse' | 'revoke' } | null>(null);

  const columns: DataTableColumn<AccessRequest>[] = [
    {
      accessor: 'offerName',
      title: t('partners.access.col.offer'),
      render: (r) => (
        <Stack gap={0}>
          <Text size="sm" fw={600}>
            <bdi>{r.offerName}</bdi>
          </Text>
          <Text size="xs" c="dimmed">
            {t(offerKindLabel[r.offerKind])} · <bdi>{r.organisationName}</bdi>
          </Text>
        </Stack>
      ),
    },
    ...(mine
      ? []
      : [
          {
            accessor: 'userName',
            title: t('partners.access.col.user'),
            render: (r: AccessRequest) => (
              <Stack gap={0}>
                <Text size="sm">
                  <bdi>{r.userName}</bdi>
                </Text>
                <Text size="xs" c="dimmed">
                  <Ltr>{r.userEmail}</Ltr>
                </Text>
                <Text size="xs" c="dimmed">
                  <bdi>{r.userOrganisationName}</bdi>
                </Text>
              </Stack>
            ),
          },
        ]),
    {
      accessor: 'purpose',
      title: t('partners.access.col.purpose'),
      render: (r) => (
        <Text size="sm" lineClamp={3} maw={360}>
          <bdi>{r.purpose}</bdi>
        </Text>
      ),
    },
    { accessor: 'requestedAt', title: t('partners.access.col.requested'), sortable: true, render: (r) => <DateTime value={r.requestedAt} /> },
    {
      accessor: 'state',
      title: t('partners.col.status'),
      render: (r) => (
        <Stack gap={2}>
          <AccessStateBadge state={r.state} />
          {r.expiresOn && (r.state === 'active' || r.state === 'lapsed' || r.state === 'expired') ? (
            <Text size="xs" c="dimmed">
              {t('partners.access.until')} <DateOnly value={r.expiresOn} />
            </Text>
          ) : null}
          {r.decisionNote ? (
            <Text size="xs" c="dimmed" lineClamp={2} maw={240}>
              <bdi>{r.decisionNote}</bdi>
            </Text>
          ) : null}
        </Stack>
      ),
    },
    {
      accessor: 'actions',
      title: <span className="visually-hidden">{t('partners.col.actions')}</span>,
      textAlign: dir === 'rtl' ? 'left' : 'right',
      render: (r) =>
        r.canDecide ? (
          <Group gap={4} justify="flex-end" wrap="nowrap">
            {r.status === 'pending' ? (
              <>
                <Tooltip label={t('partners.access.approve')}>
                  <ActionIcon variant="subtle" color="teal" onClick={() => setDeciding({ request: r, action: 'approve' })} aria-label={t('partners.access.approveFor', { name: r.userName })}>
                    <IconCheck size={18} aria-hidden />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label={t('partners.access.refuse')}>
                  <ActionIcon variant="subtle" color="red" onClick={() => setDeciding({ request: r, action: 'refuse' })} aria-label={t('partners.access.refuseFor', { name: r.userName })}>
                    <IconX size={18} aria-hidden />
                  </ActionIcon>
                </Tooltip>
              </>
            ) : r.status === 'approved' && r.state !== 'expired' ? (
              <Tooltip label={t('partners.access.revoke')}>
                <ActionIcon variant="subtle" color="red" onClick={() => setDeciding({ request: r, action: 'revoke' })} aria-label={t('partners.access.revokeFor', { name: r.userName })}>
                  <IconPlayerStop size={18} aria-hidden />
                </ActionIcon>
              </Tooltip>
            ) : null}
          </Group>
        ) : null,
    },
  ];

  return (
    <>
      <FiltersPanel summary={list.data ? t('partners.access.count', { count: list.data.total }) : null} onClear={table.filters.state ? () => table.setFilters({ state: null }) : undefined} clearLabel={t('partners.filter.clear')}>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
          <Select
            label={t('partners.filter.status')}
            placeholder={t('partners.filter.allStatuses')}
            data={accessStates.map((s) => ({ value: s, label: t(accessStateLabel[s]) }))}
            {...filterSelectProps(table, 'state', t('partners.filter.clearStatus'))}
          />
        </SimpleGrid>
      </FiltersPanel>
      <DataTable<AccessRequest>
        label={mine ? t('partners.access.mine') : t('partners.access.title')}
        columns={columns}
        table={table}
        query={list}
        tableProps={{ horizontalSpacing: 'sm' }}
        empty={
          table.filters.state
            ? { icon: <IconInbox aria-hidden />, title: t('partners.empty.filteredTitle'), description: t('partners.empty.filteredDescription') }
            : { icon: <IconInbox aria-hidden />, title: t('partners.access.empty.title'), description: mine ? t('partners.access.empty.mine') : t('partners.access.empty.others') }
        }
      />
      <Modal
        opened={deciding !== null}
        onClose={() => setDeciding(null)}
        title={deciding ? t(deciding.action === 'approve' ? 'partners.access.approve' : deciding.action === 'refuse' ? 'partners.access.refuse' : 'partners.access.revoke') : ''}
        centered
        closeButtonProps={{ 'aria-label': t('common.action.close') }}
      >
        {deciding ? <DecisionForm request={deciding.request} action={deciding.action} onDone={() => setDeciding(null)} /> : null}
      </Modal>
    </>
  );
}

type Values = { decision: 'approve' | 'refuse'; expiresOn: string | null; note: string };
const payload = (v: Values) => ({ decision: v.decision, ...(v.decision === 'approve' ? { expiresOn: v.expiresOn ?? '' } : {}), ...(v.note.trim() ? { note: v.note } : {}) });
const schema = z.preprocess((v) => payload(v as Values), accessDecision);

/** Approve with an expiry date, refuse, or revoke; with an optional note the requester sees. */
function DecisionForm({ request, action, onDone }: { request: AccessRequest; action: 'approve' | 'refuse' | 'revoke'; onDone: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useZodForm<Values>(action === 'revoke' ? z.any() : schema, {
    initialValues: { decision: action === 'refuse' ? 'refuse' : 'approve', expiresOn: null, note: '' },
    ...validateChangedOnBlur<Values>(),
  });
  const values = form.getValues();
  const save = useMutation({
    mutationFn: (v: Values) =>
      action === 'revoke'
        ? api.post<AccessRequest>(`/api/partner-access-requests/${seg(request.id)}/revoke`, v.note.trim() ? { note: v.note } : {})
        : api.post<AccessRequest>(`/api/partner-access-requests/${seg(request.id)}/decision`, payload(v)),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: accessKey });
      void client.invalidateQueries({ queryKey: [...partnersKey, 'offers'] });
      notify.success(t('partners.access.decided', { name: saved.userName, state: t(accessStateLabel[saved.state]) }));
      onDone();
    },
    onError: (error) => {
      if (!placeServerErrors(form, error, t)) setFormError(errorText(error));
    },
  });
  const today = new Date().toISOString().slice(0, 10);
  return (
    <form noValidate onSubmit={form.onSubmit((v) => save.mutate(v))}>
      <Stack gap="md">
        <FormError>{formError}</FormError>
        <Text size="sm">
          <FormattedMessage id="partners.access.decisionLead" values={{ name: <bdi>{request.userName}</bdi>, offer: <bdi>{request.offerName}</bdi> }} />
        </Text>
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
          <bdi>{request.purpose}</bdi>
        </Text>
        {action !== 'revoke' ? (
          <SegmentedControl
            value={values.decision}
            onChange={(v) => form.setFieldValue('decision', v as Values['decision'])}
            data={[
              { value: 'approve', label: t('partners.access.approve') },
              { value: 'refuse', label: t('partners.access.refuse') },
            ]}
          />
        ) : null}
        {action !== 'revoke' && values.decision === 'approve' ? (
          <DateInput
            label={t('partners.access.expiresOn')}
            description={t('partners.access.expiresOnHint')}
            required
            minDate={today}
            valueFormat="D MMMM YYYY"
            placeholder={t('partners.agreement.datePlaceholder')}
            popoverProps={{ withinPortal: true }}
            {...form.getInputProps('expiresOn')}
            value={values.expiresOn}
            onChange={(v) => form.setFieldValue('expiresOn', v)}
          />
        ) : null}
        <Textarea label={t('partners.access.note')} autosize minRows={2} maxRows={6} maxLength={2000} {...form.getInputProps('note')} />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone} disabled={save.isPending}>
            {t('common.action.cancel')}
          </Button>
          <Button type="submit" color={action === 'approve' && values.decision === 'approve' ? 'teal' : 'red'} loading={save.isPending}>
            {action === 'revoke' ? t('partners.access.revoke') : values.decision === 'approve' ? t('partners.access.approve') : t('partners.access.refuse')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
