import { useState } from 'react';
import { ActionIcon, Alert, Badge, Button, Checkbox, Group, Modal, NumberInput, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconKey, IconPlus, IconTrash } from '@tabler/icons-react';
import { FormattedDate, FormattedMessage } from 'react-intl';
import type { DataTableColumn } from 'mantine-datatable';
import { tokenCreate, tokenScopes, type ApiToken } from '@modules/accounts/schemas.ts';
import { api, seg } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { DataTable } from '../../core/table/DataTable.tsx';
import { useTableState } from '../../core/table/useTableState.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { CopyField } from '../../components/CopyField.tsx';
import { DateTime, RelativeTime } from '../../components/DateTime.tsx';
import { FormError } from '../../components/FormError.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { Section } from './Section.tsx';
import { tokensKey, tokenStatus, useTokens, type TokenStatus } from './api.ts';

type Created = ApiToken & { token: string };

const statusColor: Record<TokenStatus, string> = { active: 'teal', expired: 'gray', revoked: 'red' };

export function TokensTab() {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const tokens = useTokens();
  const table = useTableState({ defaultSort: '-createdAt', defaultPageSize: 10 });
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  const revoke = useMutation({
    mutationFn: (token: ApiToken) => api.delete(`/api/me/tokens/${seg(token.id)}`),
    onSuccess: () => {
      setRevoking(null);
      notify.success(t('profile.tokens.revoked'));
      return client.invalidateQueries({ queryKey: tokensKey });
    },
    onError: (error) => {
      setRevoking(null);
      notify.error(error);
    },
  });

  const columns: DataTableColumn<ApiToken>[] = [
    {
      accessor: 'name',
      title: t('profile.tokens.col.name'),
      sortable: true,
      render: (tk) => (
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            {tk.name}
          </Text>
          <Text size="xs" c="dimmed">
            <Ltr mono>{tk.prefix}…</Ltr>
          </Text>
        </Stack>
      ),
    },
    {
      accessor: 'scopes',
      title: t('profile.tokens.col.scopes'),
      render: (tk) => (
        <Group gap={4}>
          {tk.scopes.map((s) => (
            <Badge key={s} color={s === 'write' ? 'orange' : 'navy'} variant="light">
              {t(s === 'write' ? 'profile.tokens.scope.write' : 'profile.tokens.scope.read')}
            </Badge>
          ))}
        </Group>
      ),
    },
    {
      accessor: 'status',
      title: t('profile.tokens.col.status'),
      render: (tk) => {
        const s = tokenStatus(tk);
        return <Badge color={statusColor[s]}>{t(`profile.tokens.status.${s}`)}</Badge>;
      },
    },
    { accessor: 'createdAt', title: t('profile.tokens.col.created'), sortable: true, render: (tk) => <DateTime value={tk.createdAt} /> },
    { accessor: 'expiresAt', title: t('profile.tokens.col.expires'), sortable: true, render: (tk) => <DateTime value={tk.expiresAt} /> },
    {
      accessor: 'lastUsedAt',
      title: t('profile.tokens.col.lastUsed'),
      sortable: true,
      render: (tk) => <RelativeTime value={tk.lastUsedAt} fallback={<Text span size="sm" c="dimmed">{t('profile.tokens.neverUsed')}</Text>} />,
    },
    {
      accessor: 'actions',
      title: <span className="visually-hidden">{t('common.table.actions')}</span>,
      textAlign: 'right',
      width: 72,
      render: (tk) =>
        tokenStatus(tk) === 'active' ? (
          <Tooltip label={t('profile.tokens.revoke')}>
            <ActionIcon variant="subtle" color="red" aria-label={t('profile.tokens.revokeNamed', { name: tk.name })} onClick={() => setRevoking(tk)}>
              <IconTrash size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
        ) : null,
    },
  ];

  return (
    <Section
      title={t('profile.tokens.title')}
      description={t('profile.tokens.description')}
      actions={
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
          {t('profile.tokens.create')}
        </Button>
      }
    >
      <DataTable<ApiToken>
        label={t('profile.tokens.title')}
        columns={columns}
        query={tokens}
        table={table}
        empty={{
          icon: <IconKey aria-hidden />,
          title: t('profile.tokens.emptyTitle'),
          description: t('profile.tokens.emptyDescription'),
        }}
      />
      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} />
      <ConfirmDialog
        opened={revoking !== null}
        danger
        title={t('profile.tokens.revokeTitle')}
        message={t('profile.tokens.revokeConfirm', { name: revoking?.name ?? '' })}
        confirmLabel={t('profile.tokens.revoke')}
        loading={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => revoking && revoke.mutate(revoking)}
      />
    </Section>
  );
}

function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const form = useZodForm(tokenCreate, { initialValues: { name: '', scopes: ['read'] as string[], expiresInDays: 90 as number | string } });

  const create = useMutation({
    mutationFn: (values: { name: string; scopes: string[]; expiresInDays: number | string }) =>
      api.post<Created>('/api/me/tokens', { name: values.name.trim(), scopes: values.scopes, expiresInDays: Number(values.expiresInDays) }),
    onSuccess: (token) => {
      setCreated(token);
      void client.invalidateQueries({ queryKey: tokensKey });
    },
    onError: (error) => {
      if (!applyServerErrors(form, error, t)) setFormError(errorText(error));
    },
  });

  const close = () => {
    onClose();
    // Forget the secret as soon as the dialog is gone.
    window.setTimeout(() => {
      setCreated(null);
      setFormError(null);
      form.reset();
      create.reset();
    }, 250);
  };

  const days = Number(form.getValues().expiresInDays);
  const expiry = Number.isInteger(days) && days >= 1 && days <= 365 ? new Date(Date.now() + days * 86_400_000) : null;

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? t('profile.tokens.createdTitle') : t('profile.tokens.createTitle')}
      size="lg"
      closeOnClickOutside={!created}
      closeButtonProps={{ 'aria-label': t('common.action.close') }}
    >
      {created ? (
        <Stack gap="md">
          <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} role="alert">
            {t('profile.tokens.shownOnce')}
          </Alert>
          <CopyField value={created.token} label={t('profile.tokens.tokenLabel', { name: created.name })} />
          <Text size="sm" c="dimmed">
            {t('profile.tokens.usage')}
          </Text>
          <Ltr mono block fz="xs" c="dimmed">
            Authorization: Bearer {created.prefix}…
          </Ltr>
          <Group justify="flex-end">
            <Button onClick={close} data-autofocus>
              {t('profile.tokens.done')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form
          noValidate
          onSubmit={form.onSubmit((values) => {
            setFormError(null);
            create.mutate(values);
          })}
        >
          <Stack gap="md">
            <FormError>{formError}</FormError>
            <TextInput label={t('profile.tokens.name')} description={t('profile.tokens.nameHint')} required data-autofocus {...form.getInputProps('name')} />
            <Checkbox.Group label={t('profile.tokens.scopes')} withAsterisk {...form.getInputProps('scopes')}>
              <Stack gap="xs" mt={6}>
                {tokenScopes.map((s) => (
                  <Checkbox
                    key={s}
                    value={s}
                    label={t(s === 'write' ? 'profile.tokens.scope.write' : 'profile.tokens.scope.read')}
                    description={t(s === 'write' ? 'profile.tokens.scope.writeHint' : 'profile.tokens.scope.readHint')}
                  />
                ))}
              </Stack>
            </Checkbox.Group>
            <NumberInput
              label={t('profile.tokens.expiresInDays')}
              description={
                expiry ? <FormattedMessage id="profile.tokens.expiresOn" values={{ date: <FormattedDate value={expiry} dateStyle="long" /> }} /> : undefined
              }
              min={1}
              max={365}
              allowDecimal={false}
              allowNegative={false}
              required
              maw={220}
              {...form.getInputProps('expiresInDays')}
            />
            <Group justify="flex-end" gap="sm" mt="xs">
              <Button variant="default" onClick={close}>
                {t('common.action.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('profile.tokens.createSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
