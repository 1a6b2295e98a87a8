import { useCallback, useEffect, useRef, useState } from 'react';
import { Anchor, Button, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconArrowRight, IconLogin2 } from '@tabler/icons-react';
import { Link, Navigate, useSearchParams } from 'react-router';
import { signInBody, totpCodeBody, type SessionInfo, type SignInResult } from '@modules/accounts/schemas.ts';
import { api, isApiError } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { safeNext, storeSession, useSessionQuery, useSignOut } from '../../core/session.ts';
import { FormError } from '../../components/FormError.tsx';
import { FullPageLoader } from '../../components/FullPageLoader.tsx';
import { useT } from '../../i18n/useT.ts';
import { AuthLayout } from './AuthLayout.tsx';
import { ThrottleNotice } from './ThrottleNotice.tsx';

/**
 * Sign-in: e-mail and password, then (stage `totp`) the authentication code.
 * A session at stage `enrol` goes on to the app, whose guard shows enrolment.
 */
export default function SignInPage() {
  const { data: session, isPending } = useSessionQuery();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));

  if (isPending) return <FullPageLoader />;
  if (session && session.stage !== 'totp') return <Navigate to={next} replace />;
  return <AuthLayout>{session?.stage === 'totp' ? <SecondFactorStep /> : <CredentialsStep />}</AuthLayout>;
}

/** While throttled: the moment the server allows the next attempt. */
function useThrottle() {
  const [until, setUntil] = useState<number | null>(null);
  const clear = useCallback(() => setUntil(null), []);
  const fromError = useCallback((error: unknown) => {
    if (isApiError(error) && error.code === 'too_many_requests') {
      setUntil(Date.now() + (error.retryAfterSeconds ?? 60) * 1000);
      return true;
    }
    return false;
  }, []);
  return { until, clear, fromError };
}

function CredentialsStep() {
  const t = useT();
  const errorText = useErrorText();
  const client = useQueryClient();
  const throttle = useThrottle();
  const [formError, setFormError] = useState<string | null>(null);
  useDocumentTitle(`${t('auth.signIn.title')} · Cybercap`);

  const form = useZodForm(signInBody, { initialValues: { email: '', password: '' } });

  const signIn = useMutation({
    mutationFn: (values: { email: string; password: string }) => api.post<SignInResult>('/api/auth/sign-in', values),
    onSuccess: (result) => storeSession(client, result.session),
    onError: (error) => {
      if (throttle.fromError(error)) return setFormError(null);
      if (applyServerErrors(form, error, t)) return setFormError(null);
      if (isApiError(error) && error.code === 'invalid_credentials') {
        form.setFieldValue('password', '');
        form.getInputNode('password')?.focus();
      }
      setFormError(errorText(error));
    },
  });

  return (
    <Stack gap="xl">
      <Stack gap={6}>
        <Title order={1} fz={26}>
          {t('auth.signIn.title')}
        </Title>
        <Text c="dimmed" size="sm">
          {t('auth.signIn.subtitle')}
        </Text>
      </Stack>
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          signIn.mutate(values);
        })}
      >
        <Stack gap="md">
          <FormError>{throttle.until ? <ThrottleNotice until={throttle.until} onDone={throttle.clear} /> : formError}</FormError>
          <TextInput
            label={t('auth.signIn.email')}
            type="email"
            autoComplete="username"
            inputMode="email"
            dir="ltr"
            required
            autoFocus
            size="md"
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label={t('auth.signIn.password')}
            autoComplete="current-password"
            required
            size="md"
            visibilityToggleButtonProps={{ 'aria-label': t('common.action.showPassword') }}
            {...form.getInputProps('password')}
          />
          <Button type="submit" size="md" fullWidth mt="xs" loading={signIn.isPending} disabled={throttle.until !== null} rightSection={<IconLogin2 size={18} aria-hidden className="mirror-rtl" />}>
            {t('auth.signIn.submit')}
          </Button>
          <Text size="xs" c="dimmed" ta="center">
            {t('auth.signIn.forgotten')}
          </Text>
          <Text size="sm" ta="center">
            {t('partners.apply.signInPrompt')}{' '}
            <Anchor component={Link} to="/partners/apply">
              {t('partners.apply.title')}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </Stack>
  );
}

function SecondFactorStep() {
  const t = useT();
  const errorText = useErrorText();
  const client = useQueryClient();
  const signOut = useSignOut();
  const throttle = useThrottle();
  const [formError, setFormError] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);
  useDocumentTitle(`${t('auth.secondFactor.title')} · Cybercap`);

  const form = useZodForm(totpCodeBody, { initialValues: { code: '' } });

  // The step changed under the user's eyes: put them where they type next.
  useEffect(() => codeRef.current?.focus(), []);

  const verify = useMutation({
    mutationFn: (values: { code: string }) => api.post<SessionInfo>('/api/auth/second-factor', { code: values.code.trim() }),
    onSuccess: (session) => storeSession(client, session),
    onError: (error) => {
      if (throttle.fromError(error)) return setFormError(null);
      if (applyServerErrors(form, error, t)) return setFormError(null);
      if (isApiError(error) && error.code === 'totp_invalid') {
        form.setFieldError('code', errorText(error));
        codeRef.current?.select();
        return setFormError(null);
      }
      setFormError(errorText(error));
    },
  });

  return (
    <Stack gap="xl">
      <Stack gap={6}>
        <Title order={1} fz={26}>
          {t('auth.secondFactor.title')}
        </Title>
        <Text c="dimmed" size="sm">
          {t('auth.secondFactor.subtitle')}
        </Text>
      </Stack>
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          verify.mutate(values);
        })}
      >
        <Stack gap="md">
          <FormError>{throttle.until ? <ThrottleNotice until={throttle.until} onDone={throttle.clear} /> : formError}</FormError>
          <TextInput
            ref={codeRef}
            label={t('auth.secondFactor.code')}
            description={t('auth.secondFactor.codeHint')}
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={6}
            dir="ltr"
            required
            size="md"
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.35em', fontSize: 20, textAlign: 'center' } }}
            {...form.getInputProps('code')}
          />
          <Button type="submit" size="md" fullWidth loading={verify.isPending} disabled={throttle.until !== null} rightSection={<IconArrowRight size={18} aria-hidden className="mirror-rtl" />}>
            {t('auth.secondFactor.submit')}
          </Button>
          <Group justify="center">
            <Anchor component="button" type="button" size="sm" onClick={() => void signOut()}>
              {t('auth.secondFactor.otherAccount')}
            </Anchor>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
