import { useMemo, useState } from 'react';
import { Alert, Button, Group, Modal, MultiSelect, PasswordInput, Radio, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconCircleCheck } from '@tabler/icons-react';
import { z } from 'zod';
import { roles as allRoles, type Role } from '@modules/accounts/roles.ts';
import { userCreate } from '@modules/users/schemas.ts';
import { api } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { FormError } from '../../components/FormError.tsx';
import { roleLabel } from '../../components/RoleBadges.tsx';
import { useLocale } from '../../i18n/I18nProvider.tsx';
import { locales, nativeNames, type Locale } from '../../i18n/locales.ts';
import { useT } from '../../i18n/useT.ts';
import { OrganisationSelect } from '../organisations/OrganisationSelect.tsx';
import { placeServerErrors, validateChangedOnBlur } from './admin-ui.tsx';
import { usersKey, type UserCreated } from './api.ts';
import { ResetLinkPanel } from './ResetLinkPanel.tsx';

type Values = {
  displayName: string;
  email: string;
  organisationId: string;
  roles: Role[];
  locale: Locale;
  passwordMode: 'link' | 'set';
  password: string;
};

/** What the server receives: the password only when the administrator chose one. */
function toPayload(v: Values) {
  return {
    displayName: v.displayName,
    email: v.email.trim(),
    organisationId: v.organisationId,
    roles: v.roles,
    locale: v.locale,
    ...(v.passwordMode === 'set' ? { password: v.password } : {}),
  };
}

// The server's own schema, checked on what the server will receive.
const formSchema = z.preprocess((v) => toPayload(v as Values), userCreate);

type Props = { opened: boolean; onClose: () => void; onOpenUser: (id: string) => void };

export function CreateUserModal({ opened, onClose, onOpenUser }: Props) {
  const t = useT();
  const { locale } = useLocale();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const [created, setCreated] = useState<UserCreated | null>(null);

  const form = useZodForm<Values>(formSchema, {
    initialValues: { displayName: '', email: '', organisationId: '', roles: [], locale, passwordMode: 'link', password: '' },
    ...validateChangedOnBlur<Values>(),
  });

  const create = useMutation({
    mutationFn: (values: Values) => api.post<UserCreated>('/api/users', toPayload(values)),
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: usersKey });
      if (result.passwordReset) {
        setCreated(result);
      } else {
        notify.success(t('users.create.done', { name: result.user.displayName }));
        close();
      }
    },
    onError: (error) => {
      const placed = placeServerErrors(form, error, t, {
        conflicts: { email: 'users.form.emailTaken' },
        texts: { 'no such organisation': 'users.form.noSuchOrganisation' },
      });
      if (!placed) setFormError(errorText(error));
    },
  });

  const close = () => {
    onClose();
    // Forget the link as soon as the dialog is gone.
    window.setTimeout(() => {
      setCreated(null);
      setFormError(null);
      form.reset();
      create.reset();
    }, 250);
  };

  const roleOptions = useMemo(() => allRoles.map((r) => ({ value: r, label: t(roleLabel[r]) })), [t]);
  const mode = form.getValues().passwordMode;

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? t('users.create.createdTitle') : t('users.create.title')}
      size="lg"
      closeOnClickOutside={!created && !form.isDirty()}
      closeButtonProps={{ 'aria-label': t('common.action.close') }}
    >
      {created?.passwordReset ? (
        <Stack gap="md">
          <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} role="status">
            {t('users.create.created', { name: created.user.displayName })}
          </Alert>
          <ResetLinkPanel reset={created.passwordReset} name={created.user.displayName} />
          <Group justify="flex-end" gap="sm">
            <Button
              variant="default"
              onClick={() => {
                const id = created.user.id;
                close();
                onOpenUser(id);
              }}
            >
              {t('users.create.openUser')}
            </Button>
            <Button onClick={close} data-autofocus>
              {t('users.create.finish')}
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
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <TextInput label={t('users.form.displayName')} autoComplete="off" required data-autofocus {...form.getInputProps('displayName')} />
              <TextInput
                label={t('users.form.email')}
                type="email"
                dir="ltr"
                autoComplete="off"
                spellCheck={false}
                required
                {...form.getInputProps('email')}
              />
            </SimpleGrid>
            <OrganisationSelect
              label={t('users.form.organisation')}
              placeholder={t('users.form.organisationPlaceholder')}
              activeOnly
              required
              {...form.getInputProps('organisationId')}
              value={form.getValues().organisationId || null}
              onChange={(v) => form.setFieldValue('organisationId', v ?? '')}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
              <MultiSelect
                label={t('users.form.roles')}
                placeholder={form.getValues().roles.length ? undefined : t('users.form.rolesPlaceholder')}
                data={roleOptions}
                required
                clearable={false}
                {...form.getInputProps('roles')}
              />
              <Select
                label={t('users.form.language')}
                data={locales.map((l) => ({ value: l, label: nativeNames[l] }))}
                allowDeselect={false}
                {...form.getInputProps('locale')}
              />
            </SimpleGrid>
            <Radio.Group label={t('users.form.passwordMode')} {...form.getInputProps('passwordMode')}>
              <Stack gap="sm" mt={8}>
                <Radio value="link" label={t('users.form.passwordMode.link')} description={t('users.form.passwordMode.linkHint')} />
                <Radio value="set" label={t('users.form.passwordMode.set')} description={t('users.form.passwordMode.setHint')} />
              </Stack>
            </Radio.Group>
            {mode === 'set' ? (
              <PasswordInput
                label={t('users.form.password')}
                description={t('common.password.rule')}
                autoComplete="new-password"
                required
                visibilityToggleButtonProps={{ 'aria-label': t('common.action.showPassword') }}
                {...form.getInputProps('password')}
              />
            ) : null}
            <Group justify="flex-end" gap="sm" mt="xs">
              <Button variant="default" onClick={close}>
                {t('common.action.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending}>
                {t('users.create.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
