import { useEffect, useRef, useState } from 'react';
import { Button, Grid, Image, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconQrcode } from '@tabler/icons-react';
import { totpCodeBody, type SessionInfo } from '@modules/accounts/schemas.ts';
import { api, isApiError } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { applyServerErrors, useZodForm } from '../../core/forms.ts';
import { storeSession } from '../../core/session.ts';
import { CopyField } from '../../components/CopyField.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { FormError } from '../../components/FormError.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { useT } from '../../i18n/useT.ts';

type Setup = { secret: string; otpauthUri: string; qrSvg: string };

/** The QR code the server drew, as an image (never injected as markup). */
export const qrDataUrl = (svg: string) => `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;

/** `JBSWY3DPEHPK3PXP` → `JBSW Y3DP EHPK 3PXP`, easier to type by hand. */
export const groupSecret = (secret: string) => secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');

type Props = {
  /** Start at once (forced enrolment) rather than on a button press (profile). */
  autoStart?: boolean;
  onEnabled: (session: SessionInfo) => void;
};

/**
 * Two-factor enrolment: the server makes a secret (POST /api/me/totp/setup),
 * the user scans it and proves it works with a first code (POST /api/me/totp/enable).
 */
export function TotpEnrolment({ autoStart, onEnabled }: Props) {
  const t = useT();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  const setup = useMutation({ mutationFn: () => api.post<Setup>('/api/me/totp/setup') });
  const started = useRef(false);
  const start = () => {
    started.current = true;
    setup.mutate();
  };
  useEffect(() => {
    if (autoStart && !started.current) start();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [autoStart]);

  const form = useZodForm(totpCodeBody, { initialValues: { code: '' } });
  const enable = useMutation({
    mutationFn: (values: { code: string }) => api.post<SessionInfo>('/api/me/totp/enable', { code: values.code.trim() }),
    onSuccess: (session) => {
      storeSession(client, session);
      onEnabled(session);
    },
    onError: (error) => {
      if (applyServerErrors(form, error, t)) return setFormError(null);
      if (isApiError(error) && error.code === 'totp_invalid') {
        form.setFieldError('code', errorText(error));
        codeRef.current?.select();
        return setFormError(null);
      }
      setFormError(errorText(error));
    },
  });

  // When the QR code appears, the next thing to do is type a code.
  const ready = setup.data;
  useEffect(() => {
    if (ready && !autoStart) codeRef.current?.focus();
  }, [ready, autoStart]);

  if (!setup.data) {
    if (setup.isError) return <ErrorState error={setup.error} onRetry={start} />;
    if (setup.isPending || autoStart) return <LoadingState variant="form" rows={2} />;
    return (
      <Button leftSection={<IconQrcode size={18} aria-hidden />} onClick={start}>
        {t('auth.totp.begin')}
      </Button>
    );
  }

  const { secret, qrSvg } = setup.data;
  return (
    <Stack gap="lg">
      <List type="ordered" spacing="xs" size="sm">
        <List.Item>{t('auth.totp.step.install')}</List.Item>
        <List.Item>{t('auth.totp.step.scan')}</List.Item>
        <List.Item>{t('auth.totp.step.enter')}</List.Item>
      </List>
      <Grid gap="xl" align="flex-start">
        <Grid.Col span={{ base: 12, sm: 'content' }}>
          <Image src={qrDataUrl(qrSvg)} alt={t('auth.totp.qrAlt')} className="qr-code" w={184} h={184} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, sm: 'auto' }}>
          <Stack gap="xs">
            <Title order={3} fz="sm">
              {t('auth.totp.manualTitle')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('auth.totp.manualHint')}
            </Text>
            <CopyField value={groupSecret(secret)} copyValue={secret.replace(/\s+/g, '')} label={t('auth.totp.secretLabel')} />
          </Stack>
        </Grid.Col>
      </Grid>
      <form
        noValidate
        onSubmit={form.onSubmit((values) => {
          setFormError(null);
          enable.mutate(values);
        })}
      >
        <Stack gap="md" maw={360}>
          <FormError>{formError}</FormError>
          <TextInput
            ref={codeRef}
            label={t('auth.totp.code')}
            description={t('auth.secondFactor.codeHint')}
            autoComplete="one-time-code"
            inputMode="numeric"
            maxLength={6}
            dir="ltr"
            required
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', letterSpacing: '0.3em', fontSize: 18 } }}
            {...form.getInputProps('code')}
          />
          <div>
            <Button type="submit" loading={enable.isPending}>
              {t('auth.totp.enable')}
            </Button>
          </div>
        </Stack>
      </form>
    </Stack>
  );
}
