import { useEffect, useMemo, useState } from 'react';
import { Alert, Anchor, Box, Button, Card, Checkbox, Container, Group, Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput, ThemeIcon, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useMutation, useQuery } from '@tanstack/react-query';
import { IconArrowLeft, IconCircleCheck, IconDatabaseShare, IconSchool, IconSend, IconUserShare, IconChartDots3, type Icon } from '@tabler/icons-react';
import { z } from 'zod';
import { Link } from 'react-router';
import { partnerSectors } from '@modules/organisations/schemas.ts';
import { applicationSubmit, partnershipKinds, type PartnershipKind } from '@modules/partners/schemas.ts';
import { api, isApiError } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useZodForm } from '../../core/forms.ts';
import { FormError } from '../../components/FormError.tsx';
import { LanguageSwitcher } from '../../components/LanguageSwitcher.tsx';
import { BrandMark } from '../../app/layout/BrandMark.tsx';
import { useT } from '../../i18n/useT.ts';
import { placeServerErrors, validateChangedOnBlur } from '../users/admin-ui.tsx';
import { countryFilter, sectorLabel, useCountryOptions, type Sector } from '../organisations/reference.ts';
import { kindLabel, kindText } from './labels.tsx';

type FormToken = { token: string; minSeconds: number; expiresAt: string };

type Values = {
  formToken: string;
  website: string;
  organisationName: string;
  sector: Sector | '';
  countryCode: string;
  contactName: string;
  email: string;
  phone: string;
  kinds: PartnershipKind[];
  message: string;
};

const initialValues: Values = { formToken: '', website: '', organisationName: '', sector: '', countryCode: '', contactName: '', email: '', phone: '', kinds: [], message: '' };

/** What the server receives: an empty phone is no phone. */
const payload = (v: Values) => ({ ...v, phone: v.phone.trim() ? v.phone : null });
// The server's own schema, checked on what the server will receive.
const schema = z.preprocess((v) => payload(v as Values), applicationSubmit);

export const kindIcon: Record<PartnershipKind, Icon> = {
  data_sharing: IconDatabaseShare,
  expert_secondment: IconUserShare,
  analysis_tools_and_data: IconChartDots3,
  training_support: IconSchool,
};

/** Public page (no account): the four kinds of partnership, then the application form. */
export default function ApplyPage() {
  const t = useT();
  useDocumentTitle(`${t('partners.apply.title')} · Cybercap`);
  const [sentTo, setSentTo] = useState<string | null>(null);

  return (
    <Box mih="100dvh" bg="gray.0">
      <Box component="header" bg="white" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Container size="lg" py="sm">
          <Group justify="space-between">
            <BrandMark asLink={false} />
            <Group gap="sm">
              <Anchor component={Link} to="/sign-in" size="sm" visibleFrom="xs">
                {t('partners.apply.backToSignIn')}
              </Anchor>
              <LanguageSwitcher variant="default" />
            </Group>
          </Group>
        </Container>
      </Box>
      <Container component="main" id="main" size="lg" py="xl">
        {sentTo !== null ? <Confirmation email={sentTo} onAnother={() => setSentTo(null)} /> : <Application onSent={setSentTo} />}
      </Container>
    </Box>
  );
}

function Application({ onSent }: { onSent: (email: string) => void }) {
  const t = useT();
  return (
    <Stack gap="xl">
      <Stack gap="xs" maw={760}>
        <Title order={1} fz={32}>
          {t('partners.apply.title')}
        </Title>
        <Text size="lg" c="dimmed">
          {t('partners.apply.lead')}
        </Text>
      </Stack>
      <section aria-labelledby="partner-kinds">
        <Title order={2} fz="lg" mb="md" id="partner-kinds">
          {t('partners.apply.kindsTitle')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md">
          {partnershipKinds.map((k) => {
            const KindIcon = kindIcon[k];
            return (
              <Card key={k} withBorder radius="md" p="lg">
                <ThemeIcon size={42} radius="md" variant="light" color="navy" mb="sm" aria-hidden>
                  <KindIcon size={24} />
                </ThemeIcon>
                <Title order={3} fz="md" mb={6}>
                  {t(kindLabel[k])}
                </Title>
                <Text size="sm" c="dimmed">
                  {t(kindText[k])}
                </Text>
              </Card>
            );
          })}
        </SimpleGrid>
      </section>
      <Paper withBorder radius="md" p={{ base: 'md', sm: 'xl' }} maw={760} component="section" aria-labelledby="partner-form">
        <Title order={2} fz="lg" id="partner-form">
          {t('partners.apply.formTitle')}
        </Title>
        <Text size="sm" c="dimmed" mb="lg">
          {t('partners.apply.formLead')}
        </Text>
        <ApplicationForm onSent={onSent} />
      </Paper>
    </Stack>
  );
}

function ApplicationForm({ onSent }: { onSent: (email: string) => void }) {
  const t = useT();
  const errorText = useErrorText();
  const countryOptions = useCountryOptions();
  const [formError, setFormError] = useState<string | null>(null);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const form = useZodForm<Values>(schema, { initialValues, ...validateChangedOnBlur<Values>() });
  const values = form.getValues();

  const token = useQuery({
    queryKey: ['partners', 'form-token'],
    queryFn: ({ signal }) => api.get<FormToken>('/api/partner-applications/form-token', { signal }),
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
  useEffect(() => {
    if (token.data) form.setFieldValue('formToken', token.data.token);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token.data]);

  const send = useMutation({
    mutationFn: (v: Values) => api.post<{ received: true }>('/api/partner-applications', payload(v)),
    onSuccess: (_r, v) => onSent(v.email.trim().toLowerCase()),
    onError: (error) => {
      if (isApiError(error) && error.code === 'too_many_requests') {
        setWaitUntil(Date.now() + (error.retryAfterSeconds ?? 60) * 1000);
        return;
      }
      if (isApiError(error) && error.code === 'validation_failed' && error.fieldProblems.some((p) => p.path === 'body.formToken')) {
        setFormError(t('partners.apply.tokenExpired'));
        void token.refetch();
        return;
      }
      if (!placeServerErrors(form, error, t)) setFormError(errorText(error));
    },
  });

  const sectorOptions = useMemo(() => partnerSectors.map((s) => ({ value: s, label: t(sectorLabel[s]) })), [t]);

  return (
    <form
      noValidate
      onSubmit={form.onSubmit((v) => {
        setFormError(null);
        send.mutate(v);
      })}
    >
      <Stack gap="md">
        <FormError>{formError}</FormError>
        {token.isError ? (
          <Alert color="red" variant="light" title={t('partners.apply.tokenFailed')}>
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{errorText(token.error)}</Text>
              <Button size="xs" variant="default" onClick={() => void token.refetch()}>
                {t('common.action.retry')}
              </Button>
            </Stack>
          </Alert>
        ) : null}
        {waitUntil !== null ? <WaitNotice until={waitUntil} onDone={() => setWaitUntil(null)} /> : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput label={t('partners.apply.organisation')} required autoComplete="organization" {...form.getInputProps('organisationName')} />
          <Select
            label={t('partners.apply.sector')}
            placeholder={t('partners.apply.choose')}
            data={sectorOptions}
            required
            {...form.getInputProps('sector')}
            value={values.sector || null}
            onChange={(v) => form.setFieldValue('sector', (v ?? '') as Sector | '')}
          />
        </SimpleGrid>
        <Select
          label={t('partners.apply.country')}
          placeholder={t('partners.apply.countryPlaceholder')}
          data={countryOptions}
          searchable
          filter={countryFilter}
          nothingFoundMessage={t('partners.apply.noCountry')}
          maxDropdownHeight={280}
          required
          autoComplete="off"
          {...form.getInputProps('countryCode')}
          value={values.countryCode || null}
          onChange={(v) => form.setFieldValue('countryCode', v ?? '')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput label={t('partners.apply.contactName')} required autoComplete="name" {...form.getInputProps('contactName')} />
          <TextInput label={t('partners.apply.email')} required type="email" dir="ltr" autoComplete="email" {...form.getInputProps('email')} />
        </SimpleGrid>
        <TextInput label={t('partners.apply.phone')} description={t('partners.apply.phoneHint')} type="tel" dir="ltr" autoComplete="tel" {...form.getInputProps('phone')} />
        <Checkbox.Group label={t('partners.apply.kinds')} description={t('partners.apply.kindsHint')} required {...form.getInputProps('kinds')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" mt="xs">
            {partnershipKinds.map((k) => (
              <Checkbox key={k} value={k} label={t(kindLabel[k])} />
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <Textarea label={t('partners.apply.message')} description={t('partners.apply.messageHint')} required autosize minRows={5} maxRows={14} {...form.getInputProps('message')} />
        {/* Honeypot: people and assistive technologies never see it; bots fill it. */}
        <div className="visually-hidden" aria-hidden="true">
          <label htmlFor="partner-website">{t('partners.apply.website')}</label>
          <input id="partner-website" type="text" name="website" tabIndex={-1} autoComplete="off" value={values.website} onChange={(e) => form.setFieldValue('website', e.currentTarget.value)} />
        </div>
        <Group justify="flex-end" mt="xs">
          <Button type="submit" size="md" loading={send.isPending} disabled={!token.data || waitUntil !== null} rightSection={<IconSend size={18} aria-hidden className="mirror-rtl" />}>
            {t('partners.apply.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** "Try again in 42 seconds", counting down; announced once to screen readers. */
function WaitNotice({ until, onDone }: { until: number; onDone: () => void }) {
  const t = useT();
  const [now, setNow] = useState(() => Date.now());
  const seconds = Math.max(0, Math.ceil((until - now) / 1000));
  const [initial] = useState(seconds);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  useEffect(() => {
    if (seconds <= 0) onDone();
  }, [seconds, onDone]);
  return (
    <Alert color="orange" variant="light" role="alert">
      <span className="visually-hidden">{t('partners.apply.wait', { seconds: initial })}</span>
      <span aria-hidden="true">{t('partners.apply.wait', { seconds })}</span>
    </Alert>
  );
}

function Confirmation({ email, onAnother }: { email: string; onAnother: () => void }) {
  const t = useT();
  return (
    <Paper withBorder radius="md" p="xl" maw={640} mx="auto" mt="xl">
      <Stack align="center" ta="center" gap="md">
        <ThemeIcon size={64} radius="xl" color="teal" variant="light" aria-hidden>
          <IconCircleCheck size={40} />
        </ThemeIcon>
        <Title order={1} fz={26} tabIndex={-1} ref={(el) => el?.focus()}>
          {t('partners.apply.done.title')}
        </Title>
        <Text c="dimmed">{t('partners.apply.done.body', { email: '\u2068' + email + '\u2069' })}</Text>
        <Group justify="center" gap="sm" mt="sm">
          <Button variant="default" onClick={onAnother}>
            {t('partners.apply.done.another')}
          </Button>
          <Button component={Link} to="/sign-in" variant="light" leftSection={<IconArrowLeft size={18} aria-hidden className="mirror-rtl" />}>
            {t('partners.apply.backToSignIn')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

