import { useState } from 'react';
import { Button, Card, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { IconCircleCheck, IconLinkOff } from '@tabler/icons-react';
import { FormattedMessage } from 'react-intl';
import { Link, useParams } from 'react-router';
import { z } from 'zod';
import { passwordResetComplete } from '@modules/accounts/schemas.ts';
import { api, isApiError, seg } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { FormError } from '../../components/FormError.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { RelativeTime } from '../../components/DateTime.tsx';
import { useT } from '../../i18n/useT.ts';
import { AuthLayout } from './AuthLayout.tsx';

type ResetInfo = { email: string; displayName: string; expiresAt: string };

/** The server's rule for the new password, plus typing it twice. */
export const resetForm = passwordResetComplete
  .extend({ confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'passwords do not match' });

/** Public page reached from a one-time link (/reset-password/:token) to choose a new password. */
export default function PasswordResetPage() {
  const t = useT();
  const { token = '' } = useParams();
  useDocumentTitle(`${t('auth.reset.title')} · Cybercap`);

  const info = useQuery({
    queryKey: ['password-reset', token],
    queryFn: ({ signal }) => api.get<ResetInfo>(`/api/auth/password-reset/${seg(token)}`, { signal }),
    retry: false,
    staleTime: Infinity,
  });

  let body;
  if (info.isPending) body = <LoadingState variant="form" rows={2} />;
  else if (info.error) {
    const invalid = isApiError(info.error) && (info.error.code === 'not_found' || info.error.code === 'bad_request' || info.error.code === 'validation_failed');
    body = invalid ? (
      <EmptyState
        icon={<IconLinkOff aria-hidden />}
        title={t('auth.reset.invalidTitle')}
        description={t('auth.reset.invalidDescription')}
        action={
          <Button component={Link} to="/sign-in" variant="light">
            {t('auth.reset.toSignIn')}
          </Button>
        }
      />
    ) : (
      <ErrorState error={info.error} onRetry={() => void info.refetch()} />
    );
  } else body = <ResetForm token={token} info={info.data} />;

  return <AuthLayout>{body}</AuthLayout>;
}

function ResetForm({ token, info }: { token: string; info: ResetInfo }) {
  const t = useT();
  const errorText = useErrorText();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useZodForm(resetForm, { initialValues: { password: '', confirm: '' } });

  const complete = useMutation({
    mutationFn: (values: { password: string }) => api.post<void>(`/api/auth/password-reset/${seg(token)}`, { password: values.password }),
    onError: (error) => {
      if (applyServerErrors(form, error, t)) return setFormError(null);
      setFormError(errorText(error, { not_found: 'auth.reset.expired' }));
    },
  });

  if (complete.isSuccess) {
    return (
      <Card p="xl">
        <EmptyState
          icon={<IconCircleCheck aria-hidden />}
          title={t('auth.reset.doneTitle')}
          description={t('auth.reset.doneDescription')}
          action={
            <Button component={Link} to="/sign-in" autoFocus>
              {t('auth.reset.toSignIn')}
            </Button>
          }
        />
      </Card>
    );
  }

  return (
    <Stack gap="xl">
      <Stack gap={6}>
        <Title order={1} fz={26}>
          {t('auth.reset.title')}
        </Title>
        <Text c="dimmed" size="sm">
          <FormattedMessage id="auth.reset.for" values={{ name: info.displayName, email: <Ltr>{info.email}</Ltr> }} />
        </Text>
        <Text c="dimmed" size="xs">
          <FormattedMessage id="auth.reset.expires" values={{ when: <RelativeTime value={info.expiresAt} /> }} />
        </Text>
      </Stack>
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          complete.mutate(values);
        })}
      >
        <Stack gap="md">
          <FormError>{formError}</FormError>
          {/* Lets password managers file the new password under the right account. */}
          <input type="email" name="username" autoComplete="username" value={info.email} readOnly hidden />
          <PasswordInput
            label={t('auth.reset.password')}
            description={t('common.password.rule')}
            autoComplete="new-password"
            required
            autoFocus
            size="md"
            visibilityToggleButtonProps={{ 'aria-label': t('common.action.showPassword') }}
            {...form.getInputProps('password')}
          />
          <PasswordInput
            label={t('auth.reset.confirm')}
            autoComplete="new-password"
            required
            size="md"
            visibilityToggleButtonProps={{ 'aria-label': t('common.action.showPassword') }}
            {...form.getInputProps('confirm')}
          />
          <Button type="submit" size="md" fullWidth loading={complete.isPending}>
            {t('auth.reset.submit')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
