import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, Avatar, Badge, Button, Card, DataList, Divider, Drawer, Group, Modal, MultiSelect, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconDeviceDesktopOff, IconInfoCircle, IconKey, IconShieldX, IconUserCheck, IconUserOff, type Icon } from '@tabler/icons-react';
import { Link } from 'react-router';
import { roles as allRoles, type Role } from '@modules/accounts/roles.ts';
import { userUpdate, type UserSummary, type UserUpdate } from '@modules/users/schemas.ts';
import { initialsOf } from '../../app/layout/UserMenu.tsx';
import { api, isApiError, seg } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { useCan, useMe } from '../../core/session.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTime, RelativeTime } from '../../components/DateTime.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { FormError } from '../../components/FormError.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { RoleBadges, roleLabel } from '../../components/RoleBadges.tsx';
import { locales, nativeNames, type Locale } from '../../i18n/locales.ts';
import { useT } from '../../i18n/useT.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { OrganisationSelect } from '../organisations/OrganisationSelect.tsx';
import { useCountryName } from '../organisations/reference.ts';
import { placeServerErrors, validateChangedOnBlur } from './admin-ui.tsx';
import { statusColor, statusLabel, userKey, usersKey, useUser, type PasswordResetIssued } from './api.ts';
import { ResetLinkPanel } from './ResetLinkPanel.tsx';
import { TwoFactorBadge } from './TwoFactorBadge.tsx';

type Props = { id: string | null; onClose: () => void };

/** One user: details, the form to change them, and the account actions. Opened by `?user=<id>`. */
export function UserDrawer({ id, onClose }: Props) {
  const t = useT();
  // Keep showing the user while the drawer slides out.
  const last = useRef(id);
  if (id) last.current = id;
  const shown = id ?? last.current;
  const user = useUser(shown);

  return (
    <Drawer
      opened={Boolean(id)}
      onClose={onClose}
      // Mantine mirrors the side in right-to-left pages: the drawer opens from the end.
      position="right"
      size="lg"
      title={t('users.detail.title')}
      closeButtonProps={{ 'aria-label': t('common.action.close') }}
      styles={{ title: { fontWeight: 650, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {user.isPending ? (
        <LoadingState variant="form" rows={4} />
      ) : user.error ? (
        <ErrorState error={user.error} onRetry={() => void user.refetch()} />
      ) : user.data ? (
        <UserDetail key={user.data.id} user={user.data} />
      ) : null}
    </Drawer>
  );
}

function UserDetail({ user }: { user: UserSummary }) {
  const t = useT();
  const can = useCan();
  const me = useMe();
  const manage = can('users.manage');
  const countryName = useCountryName();
  const self = user.id === me.id;

  return (
    <Stack gap="lg">
      <Group gap="md" wrap="nowrap" align="flex-start">
        <Avatar size={56} radius="xl" color={user.status === 'active' ? 'navy' : 'gray'} aria-hidden>
          {initialsOf(user.displayName)}
        </Avatar>
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Title order={2} fz="xl">
            {user.displayName}
          </Title>
          <Text size="sm" c="dimmed" style={{ wordBreak: 'break-all' }}>
            <Ltr>{user.email}</Ltr>
          </Text>
          <Group gap={6} mt={4}>
            <Badge color={statusColor[user.status]}>{t(statusLabel[user.status])}</Badge>
            <TwoFactorBadge enabled={user.totpEnabled} />
            {self ? <Badge color="navy">{t('users.detail.you')}</Badge> : null}
          </Group>
        </Stack>
      </Group>

      <DataList orientation="horizontal" size="sm" labelWidth={170} withDivider>
        {/* Managers see organisation, roles and language in the form below. */}
        {manage ? null : (
          <>
            <DataList.Item>
              <DataList.ItemLabel>{t('users.detail.organisation')}</DataList.ItemLabel>
              <DataList.ItemValue>
                {user.organisation.name}
                <Text span c="dimmed" size="sm">
                  {' · '}
                  {countryName(user.organisation.countryCode)}
                </Text>
              </DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>{t('users.detail.roles')}</DataList.ItemLabel>
              <DataList.ItemValue>
                <Group gap={4}>
                  <RoleBadges roles={user.roles} />
                </Group>
              </DataList.ItemValue>
            </DataList.Item>
            <DataList.Item>
              <DataList.ItemLabel>{t('users.detail.language')}</DataList.ItemLabel>
              <DataList.ItemValue>
                <span lang={user.locale}>{nativeNames[user.locale]}</span>
              </DataList.ItemValue>
            </DataList.Item>
          </>
        )}
        <DataList.Item>
          <DataList.ItemLabel>{t('users.detail.lastSignIn')}</DataList.ItemLabel>
          <DataList.ItemValue>
            <RelativeTime value={user.lastSignInAt} fallback={t('users.never')} />
          </DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>{t('users.detail.created')}</DataList.ItemLabel>
          <DataList.ItemValue>
            <DateTime value={user.createdAt} />
          </DataList.ItemValue>
        </DataList.Item>
      </DataList>

      {manage ? (
        <>
          <Divider />
          <EditUserForm user={user} self={self} />
          <Divider />
          <UserActions user={user} self={self} />
        </>
      ) : null}
    </Stack>
  );
}

type EditValues = { displayName: string; organisationId: string; roles: Role[]; locale: Locale };

function EditUserForm({ user, self }: { user: UserSummary; self: boolean }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const initial: EditValues = { displayName: user.displayName, organisationId: user.organisation.id, roles: user.roles, locale: user.locale };
  const form = useZodForm<EditValues>(userUpdate, { initialValues: initial, ...validateChangedOnBlur<EditValues>() });

  // Another change (an action below, a refresh) brings new values: start again from them unless editing.
  useEffect(() => {
    if (!form.isDirty()) {
      form.setInitialValues(initial);
      form.setValues(initial);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [user]);

  const save = useMutation({
    mutationFn: (values: EditValues) => {
      const changes: UserUpdate = {};
      if (values.displayName.trim() !== user.displayName) changes.displayName = values.displayName.trim();
      if (values.organisationId !== user.organisation.id) changes.organisationId = values.organisationId;
      if ([...values.roles].sort().join() !== [...user.roles].sort().join()) changes.roles = values.roles;
      if (values.locale !== user.locale) changes.locale = values.locale;
      return api.patch<UserSummary>(`/api/users/${seg(user.id)}`, changes);
    },
    onSuccess: (updated) => {
      client.setQueryData(userKey(updated.id), updated);
      void client.invalidateQueries({ queryKey: usersKey, predicate: (q) => q.queryKey[1] !== 'one' });
      const next = { displayName: updated.displayName, organisationId: updated.organisation.id, roles: updated.roles, locale: updated.locale };
      form.setInitialValues(next);
      form.setValues(next);
      form.resetDirty(next);
      notify.success(t('users.edit.saved', { name: updated.displayName }));
    },
    onError: (error) => {
      if (placeServerErrors(form, error, t, { texts: { 'no such organisation': 'users.form.noSuchOrganisation' } })) return;
      if (self && isApiError(error) && error.code === 'conflict') return setFormError(t('users.edit.selfAdmin'));
      setFormError(errorText(error));
    },
  });

  const roleOptions = useMemo(() => allRoles.map((r) => ({ value: r, label: t(roleLabel[r]), disabled: self && r === 'administrator' })), [t, self]);

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((values) => {
        setFormError(null);
        save.mutate(values);
      })}
    >
      <Stack gap="md">
        <Title order={3} fz="md">
          {t('users.edit.title')}
        </Title>
        <FormError>{formError}</FormError>
        <TextInput label={t('users.form.displayName')} required autoComplete="off" {...form.getInputProps('displayName')} />
        <OrganisationSelect
          label={t('users.form.organisation')}
          required
          {...form.getInputProps('organisationId')}
          value={form.getValues().organisationId || null}
          onChange={(v) => form.setFieldValue('organisationId', v ?? '')}
        />
        <MultiSelect
          label={t('users.form.roles')}
          description={self ? t('users.edit.selfAdminHint') : undefined}
          data={roleOptions}
          required
          {...form.getInputProps('roles')}
        />
        <Select
          label={t('users.form.language')}
          data={locales.map((l) => ({ value: l, label: nativeNames[l] }))}
          allowDeselect={false}
          {...form.getInputProps('locale')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" disabled={!form.isDirty() || save.isPending} onClick={() => form.reset()}>
            {t('users.edit.discard')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!form.isDirty()}>
            {t('common.action.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type ActionId = 'resetLink' | 'resetTotp' | 'endSessions' | 'disable' | 'enable';

type ActionSpec = {
  id: ActionId;
  icon: Icon;
  title: MessageId;
  description: MessageId;
  button: MessageId;
  confirmTitle: MessageId;
  confirm: MessageId;
  done: MessageId;
  danger?: boolean;
  disabled?: MessageId | null;
};

function UserActions({ user, self }: { user: UserSummary; self: boolean }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const [pending, setPending] = useState<ActionSpec | null>(null);
  const [reset, setReset] = useState<PasswordResetIssued | null>(null);

  const specs: ActionSpec[] = [
    {
      id: 'resetLink',
      icon: IconKey,
      title: 'users.action.resetLink.title',
      description: 'users.action.resetLink.description',
      button: 'users.action.resetLink.button',
      confirmTitle: 'users.action.resetLink.confirmTitle',
      confirm: 'users.action.resetLink.confirm',
      done: 'users.action.resetLink.done',
      disabled: user.status === 'disabled' ? 'users.action.needsActive' : null,
    },
    {
      id: 'resetTotp',
      icon: IconShieldX,
      title: 'users.action.resetTotp.title',
      description: 'users.action.resetTotp.description',
      button: 'users.action.resetTotp.button',
      confirmTitle: 'users.action.resetTotp.confirmTitle',
      confirm: 'users.action.resetTotp.confirm',
      done: 'users.action.resetTotp.done',
      danger: true,
      disabled: user.totpEnabled ? null : 'users.action.resetTotp.notSet',
    },
    {
      id: 'endSessions',
      icon: IconDeviceDesktopOff,
      title: 'users.action.endSessions.title',
      description: 'users.action.endSessions.description',
      button: 'users.action.endSessions.button',
      confirmTitle: 'users.action.endSessions.confirmTitle',
      confirm: 'users.action.endSessions.confirm',
      done: 'users.action.endSessions.done',
      danger: true,
    },
    user.status === 'active'
      ? {
          id: 'disable',
          icon: IconUserOff,
          title: 'users.action.disable.title',
          description: 'users.action.disable.description',
          button: 'users.action.disable.button',
          confirmTitle: 'users.action.disable.confirmTitle',
          confirm: 'users.action.disable.confirm',
          done: 'users.action.disable.done',
          danger: true,
        }
      : {
          id: 'enable',
          icon: IconUserCheck,
          title: 'users.action.enable.title',
          description: 'users.action.enable.description',
          button: 'users.action.enable.button',
          confirmTitle: 'users.action.enable.confirmTitle',
          confirm: 'users.action.enable.confirm',
          done: 'users.action.enable.done',
        },
  ];

  const run = useMutation({
    mutationFn: async (action: ActionId): Promise<{ action: ActionId; reset?: PasswordResetIssued; user?: UserSummary }> => {
      const base = `/api/users/${seg(user.id)}`;
      switch (action) {
        case 'resetLink':
          return { action, reset: await api.post<PasswordResetIssued>(`${base}/password-reset`) };
        case 'resetTotp':
          await api.post(`${base}/totp-reset`);
          return { action };
        case 'endSessions':
          await api.post(`${base}/sessions/revoke`);
          return { action };
        case 'disable':
        case 'enable':
          return { action, user: await api.patch<UserSummary>(base, { status: action === 'disable' ? 'disabled' : 'active' }) };
      }
    },
    onSuccess: (result) => {
      const spec = pending;
      setPending(null);
      if (result.user) client.setQueryData(userKey(user.id), result.user);
      void client.invalidateQueries({ queryKey: usersKey });
      if (result.reset) setReset(result.reset);
      else if (spec) notify.success(t(spec.done, { name: user.displayName }));
    },
    onError: (error) => {
      setPending(null);
      notify.error(error);
    },
  });

  return (
    <Stack gap="sm">
      <Title order={3} fz="md">
        {t('users.action.title')}
      </Title>
      {self ? (
        <Alert variant="light" color="navy" icon={<IconInfoCircle aria-hidden />}>
          {t('users.action.self')}{' '}
          <Text component={Link} to="/profile/details" size="sm" c="navy.8" td="underline">
            {t('users.action.selfLink')}
          </Text>
        </Alert>
      ) : null}
      {specs.map((s) => {
        const ActionIcon = s.icon;
        const why = self ? null : s.disabled ? t(s.disabled) : null;
        return (
          <Card key={s.id} p="sm" shadow="none">
            <Group justify="space-between" wrap="nowrap" gap="md" align="center">
              <Group gap="sm" wrap="nowrap" align="flex-start" style={{ minWidth: 0 }}>
                <ActionIcon size={20} stroke={1.7} aria-hidden style={{ flexShrink: 0, marginTop: 2 }} color={s.danger ? 'var(--mantine-color-red-7)' : 'var(--mantine-color-navy-7)'} />
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Text size="sm" fw={600}>
                    {t(s.title)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {why ?? t(s.description)}
                  </Text>
                </Stack>
              </Group>
              <Button
                size="xs"
                variant={s.danger ? 'light' : 'default'}
                color={s.danger ? 'red' : undefined}
                style={{ flexShrink: 0 }}
                disabled={self || Boolean(s.disabled)}
                onClick={() => setPending(s)}
              >
                {t(s.button)}
              </Button>
            </Group>
          </Card>
        );
      })}

      <ConfirmDialog
        opened={pending !== null}
        danger={pending?.danger}
        title={pending ? t(pending.confirmTitle) : ''}
        message={pending ? t(pending.confirm, { name: user.displayName }) : ''}
        confirmLabel={pending ? t(pending.button) : ''}
        loading={run.isPending}
        onCancel={() => setPending(null)}
        onConfirm={() => pending && run.mutate(pending.id)}
      />

      <Modal
        opened={reset !== null}
        onClose={() => setReset(null)}
        title={t('users.resetLink.title')}
        size="lg"
        closeOnClickOutside={false}
        closeButtonProps={{ 'aria-label': t('common.action.close') }}
      >
        {reset ? (
          <Stack gap="md">
            <ResetLinkPanel reset={reset} name={user.displayName} />
            <Group justify="flex-end">
              <Button onClick={() => setReset(null)} data-autofocus>
                {t('users.create.finish')}
              </Button>
            </Group>
          </Stack>
        ) : null}
      </Modal>
    </Stack>
  );
}
