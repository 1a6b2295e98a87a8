import { useState } from 'react';
import { Alert, Badge, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconInfoCircle, IconShieldCheck, IconShieldOff } from '@tabler/icons-react';
import { totpDisable } from '@modules/accounts/schemas.ts';
import { api, isApiError } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { sessionKey, useMe } from '../../core/session.ts';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { FormError } from '../../components/FormError.tsx';
import { useT } from '../../i18n/useT.ts';
import { TotpEnrolment } from '../auth/TotpEnrolment.tsx';
import { Section } from './Section.tsx';

export function TwoFactorTab() {
  const t = useT();
  const me = useMe();
  const notify = useNotify();

  const status = (
    <Group gap="xs">
      <Text size="sm" fw={500}>
        {t('profile.totp.status')}
      </Text>
      {me.totpEnabled ? (
        <Badge color="teal" leftSection={<IconShieldCheck size={12} aria-hidden />}>
          {t('profile.totp.on')}
        </Badge>
      ) : (
        <Badge color="orange" leftSection={<IconShieldOff size={12} aria-hidden />}>
          {t('profile.totp.off')}
        </Badge>
      )}
    </Group>
  );

  return (
    <Section title={t('profile.totp.title')} description={t('profile.totp.description')}>
      {status}
      {me.totpEnabled ? (
        me.totpRequired ? (
          <Alert variant="light" color="navy" icon={<IconInfoCircle aria-hidden />}>
            {t('profile.totp.required')}
          </Alert>
        ) : (
          <DisableForm />
        )
      ) : (
        <TotpEnrolment onEnabled={() => notify.success(t('auth.totp.enabled'))} />
      )}
    </Section>
  );
}

function DisableForm() {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<{ password: string; code: string } | null>(null);
  const form = useZodForm(totpDisable, { initialValues: { password: '', code: '' } });

  const disable = useMutation({
    mutationFn: (v: { password: string; code: string }) => api.post<void>('/api/me/totp/disable', { password: v.password, code: v.code.trim() }),
    onSuccess: async () => {
      setConfirming(null);
      form.reset();
      await client.invalidateQueries({ queryKey: sessionKey });
      notify.success(t('profile.totp.disabled'));
    },
    onError: (error) => {
      setConfirming(null);
      if (applyServerErrors(form, error, t)) return setFormError(null);
      if (isApiError(error) && error.code === 'totp_invalid') {
        form.setFieldError('code', errorText(error));
        return setFormError(null);
      }
      if (isApiError(error) && error.code === 'invalid_credentials') {
        form.setFieldError('password', t('profile.password.wrongCurrent'));
        return setFormError(null);
      }
      setFormError(errorText(error, { forbidden: 'profile.totp.required' }));
    },
  });

  return (
    <>
      <form noValidate onSubmit={form.onSubmit((values) => setConfirming(values))}>
        <Stack gap="md" maw={400}>
          <Text size="sm">{t('profile.totp.disableIntro')}</Text>
          <FormError>{formError}</FormError>
          <PasswordInput
            label={t('profile.password.current')}
            autoComplete="current-password"
            required
            visibilityToggleButtonProps={{ 'aria-label': t('common.action.showPassword') }}
            {...form.getInputProps('password')}
          />
          <TextInput
            label={t('auth.secondFactor.code')}
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={6}
            dir="ltr"
            required
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.3em' } }}
            {...form.getInputProps('code')}
          />
          <Group>
            <Button type="submit" color="red" variant="light" leftSection={<IconShieldOff size={16} aria-hidden />}>
              {t('profile.totp.disable')}
            </Button>
          </Group>
        </Stack>
      </form>
      <ConfirmDialog
        opened={confirming !== null}
        danger
        title={t('profile.totp.disableConfirmTitle')}
        message={t('profile.totp.disableConfirm')}
        confirmLabel={t('profile.totp.disable')}
        loading={disable.isPending}
        onCancel={() => setConfirming(null)}
        onConfirm={() => confirming && disable.mutate(confirming)}
      />
    </>
  );
}
