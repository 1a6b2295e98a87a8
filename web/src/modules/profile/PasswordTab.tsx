import { useState } from 'react';
import { Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { z } from 'zod';
import { passwordChange } from '@modules/accounts/schemas.ts';
import { api, isApiError } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { useMe } from '../../core/session.ts';
import { FormError } from '../../components/FormError.tsx';
import { useT } from '../../i18n/useT.ts';
import { Section } from './Section.tsx';

const changeForm = passwordChange
  .extend({ confirm: z.string() })
  .refine((v) => v.newPassword === v.confirm, { path: ['confirm'], message: 'passwords do not match' });

export function PasswordTab() {
  const t = useT();
  const me = useMe();
  const notify = useNotify();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useZodForm(changeForm, { initialValues: { currentPassword: '', newPassword: '', confirm: '' } });

  const change = useMutation({
    mutationFn: (v: { currentPassword: string; newPassword: string }) =>
      api.post<void>('/api/me/password', { currentPassword: v.currentPassword, newPassword: v.newPassword }),
    onSuccess: () => {
      form.reset();
      notify.success(t('profile.password.changed'));
    },
    onError: (error) => {
      if (applyServerErrors(form, error, t)) return setFormError(null);
      if (isApiError(error) && (error.code === 'invalid_credentials' || error.code === 'forbidden')) {
        form.setFieldError('currentPassword', t('profile.password.wrongCurrent'));
        form.getInputNode('currentPassword')?.focus();
        return setFormError(null);
      }
      setFormError(errorText(error));
    },
  });

  return (
    <Section title={t('profile.password.title')} description={t('profile.password.description')}>
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          change.mutate(values);
        })}
      >
        <Stack gap="md" maw={440}>
          <FormError>{formError}</FormError>
          <input type="email" name="username" autoComplete="username" value={me.email} readOnly hidden />
          <PasswordInput
            label={t('profile.password.current')}
            autoComplete="current-password"
            required
            visibilityToggleButtonProps={{ 'aria-label': t('common.action.showPassword') }}
            {...form.getInputProps('currentPassword')}
          />
          <PasswordInput
            label={t('profile.password.new')}
            description={t('common.password.rule')}
            autoComplete="new-password"
            required
            visibilityToggleButtonProps={{ 'aria-label': t('common.action.showPassword') }}
            {...form.getInputProps('newPassword')}
          />
          <PasswordInput
            label={t('profile.password.confirm')}
            autoComplete="new-password"
            required
            visibilityToggleButtonProps={{ 'aria-label': t('common.action.showPassword') }}
            {...form.getInputProps('confirm')}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              {t('profile.password.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}
