import { useState } from 'react';
import { Badge, Button, Card, FileInput, Group, Progress, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconFileText, IconPaperclip, IconPlus } from '@tabler/icons-react';
import { z } from 'zod';
import { documentMaxBytes, secondmentReportCreate, type Secondment, type SecondmentReport } from '@modules/partners/schemas.ts';
import { api, seg } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useZodForm } from '../../core/forms.ts';
import { useNotify } from '../../core/notify.tsx';
import { useSession } from '../../core/session.ts';
import { DateOnly, DateTime } from '../../components/DateTime.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { FormError } from '../../components/FormError.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { useLocale } from '../../i18n/I18nProvider.tsx';
import { useT } from '../../i18n/useT.ts';
import { uploadPackage, type UploadProgress } from '../scenarios/api.ts';
import { useFormatBytes } from '../scenarios/format.ts';
import { placeServerErrors, validateChangedOnBlur } from '../users/admin-ui.tsx';
import { acceptedFiles, fileProblem } from './file-checks.ts';
import { FileLink, UploadButton } from './files.tsx';
import { partnersKey } from './labels.tsx';

const reportsKey = (secondmentId: string) => [...partnersKey, 'secondment-reports', secondmentId] as const;
const base = (secondmentId: string) => `/api/partner-secondments/${seg(secondmentId)}/reports`;

/**
 * The reports of one secondment, newest period first, and the form to write
 * one (administrators and the sending partner's analysts).
 */
export function SecondmentReports({ secondment }: { secondment: Secondment }) {
  const t = useT();
  const [writing, setWriting] = useState(false);
  const list = useQuery({
    queryKey: reportsKey(secondment.id),
    queryFn: ({ signal }) => api.get<{ items: SecondmentReport[]; canWrite: boolean }>(base(secondment.id), { signal }),
  });

  if (list.isPending) return <LoadingState variant="form" rows={3} />;
  if (list.error) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        <bdi>{secondment.expertName}</bdi> (<bdi>{secondment.organisationName}</bdi>) · {t('partners.secondment.host')}: <bdi>{secondment.hostOrganisationName}</bdi> · <DateOnly value={secondment.startsOn} /> – <DateOnly value={secondment.endsOn} />
      </Text>
      {list.data.canWrite && !writing ? (
        <Group>
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setWriting(true)}>
            {t('partners.reports.write')}
          </Button>
        </Group>
      ) : null}
      {writing ? <ReportForm secondment={secondment} onDone={() => setWriting(false)} /> : null}
      {list.data.items.length === 0 ? (
        <EmptyState icon={<IconFileText aria-hidden />} title={t('partners.reports.empty.title')} description={t('partners.reports.empty.description')} />
      ) : (
        list.data.items.map((r) => <ReportCard key={r.id} report={r} secondmentId={secondment.id} />)
      )}
    </Stack>
  );
}

function ReportCard({ report: r, secondmentId }: { report: SecondmentReport; secondmentId: string }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  return (
    <Card withBorder radius="md" p="md" component="article" aria-labelledby={`report-${r.id}`}>
      <Group justify="space-between" align="flex-start" mb="xs" wrap="nowrap">
        <Title order={3} fz="sm" id={`report-${r.id}`}>
          <DateOnly value={r.periodStart} /> – <DateOnly value={r.periodEnd} />
        </Title>
        <Text size="xs" c="dimmed" ta="end">
          <bdi>{r.authorName}</bdi> (<bdi>{r.authorOrganisationName}</bdi>) · <DateTime value={r.createdAt} />
        </Text>
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        <bdi>{r.body}</bdi>
      </Text>
      {r.attachment ? (
        <Group mt="sm" gap="xs">
          <Badge variant="light" color="gray" leftSection={<IconPaperclip size={12} aria-hidden />} tt="none">
            {t('partners.reports.attachment')}
          </Badge>
          <FileLink href={`${base(secondmentId)}/${seg(r.id)}/attachment`} {...r.attachment} />
        </Group>
      ) : r.canAttach ? (
        <Stack mt="sm">
          <UploadButton<SecondmentReport>
            path={`${base(secondmentId)}/${seg(r.id)}/attachment`}
            label={t('partners.reports.attach')}
            onUploaded={() => {
              void client.invalidateQueries({ queryKey: reportsKey(secondmentId) });
              notify.success(t('partners.reports.attached'));
            }}
          />
        </Stack>
      ) : null}
    </Card>
  );
}

type Values = { periodStart: string | null; periodEnd: string | null; body: string; attachment: File | null };
const payload = (v: Values) => ({ periodStart: v.periodStart ?? '', periodEnd: v.periodEnd ?? '', body: v.body });
const schema = z.preprocess((v) => payload(v as Values), secondmentReportCreate);

function ReportForm({ secondment, onDone }: { secondment: Secondment; onDone: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const session = useSession();
  const { locale } = useLocale();
  const formatBytes = useFormatBytes();
  const [formError, setFormError] = useState<string | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const form = useZodForm<Values>(schema, {
    initialValues: { periodStart: null, periodEnd: null, body: '', attachment: null },
    ...validateChangedOnBlur<Values>(),
  });
  const values = form.getValues();
  const save = useMutation({
    mutationFn: async (v: Values) => {
      const report = await api.post<SecondmentReport>(base(secondment.id), payload(v));
      if (!v.attachment) return { report, attached: true };
      setProgress({ loaded: 0, total: v.attachment.size });
      try {
        await uploadPackage(`${base(secondment.id)}/${seg(report.id)}/attachment`, v.attachment, { csrfToken: session?.csrfToken ?? null, locale, onProgress: setProgress });
        return { report, attached: true };
      } catch (e) {
        // The report is kept; its card offers to attach the file again.
        notify.error(e);
        return { report, attached: false };
      } finally {
        setProgress(null);
      }
    },
    onSuccess: ({ attached }) => {
      void client.invalidateQueries({ queryKey: reportsKey(secondment.id) });
      notify.success(attached ? t('partners.reports.saved') : t('partners.reports.savedWithoutFile'));
      onDone();
    },
    onError: (error) => {
      if (!placeServerErrors(form, error, t)) setFormError(errorText(error));
    },
  });
  const dateProps = { placeholder: t('partners.agreement.datePlaceholder'), valueFormat: 'D MMMM YYYY', popoverProps: { withinPortal: true }, minDate: secondment.startsOn, maxDate: secondment.endsOn } as const;
  const percent = progress && progress.total > 0 ? Math.min(100, Math.round((progress.loaded / progress.total) * 100)) : 0;
  return (
    <Card withBorder radius="md" p="md">
      <form
        noValidate
        onSubmit={form.onSubmit((v) => {
          setFormError(null);
          if (v.periodStart && v.periodEnd && v.periodEnd < v.periodStart) {
            form.setFieldError('periodEnd', t('partners.agreement.endBeforeStart'));
            return;
          }
          const problem = v.attachment ? fileProblem(v.attachment, t, formatBytes) : null;
          if (problem) {
            form.setFieldError('attachment', problem);
            return;
          }
          save.mutate(v);
        })}
      >
        <Stack gap="md">
          <Title order={3} fz="md">
            {t('partners.reports.formTitle')}
          </Title>
          <FormError>{formError}</FormError>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <DateInput label={t('partners.reports.periodStart')} required {...dateProps} {...form.getInputProps('periodStart')} value={values.periodStart} onChange={(v) => form.setFieldValue('periodStart', v)} />
            <DateInput label={t('partners.reports.periodEnd')} required {...dateProps} {...form.getInputProps('periodEnd')} value={values.periodEnd} onChange={(v) => form.setFieldValue('periodEnd', v)} />
          </SimpleGrid>
          <Textarea label={t('partners.reports.body')} description={t('partners.reports.bodyHint')} required autosize minRows={4} maxRows={14} {...form.getInputProps('body')} />
          <FileInput
            label={t('partners.reports.attachmentOptional')}
            description={t('partners.file.hint', { max: formatBytes(documentMaxBytes) })}
            accept={acceptedFiles}
            clearable
            leftSection={<IconPaperclip size={16} aria-hidden />}
            {...form.getInputProps('attachment')}
          />
          {progress ? (
            <Stack gap={2} role="status" aria-live="polite">
              <Text size="xs" c="dimmed">
                {percent >= 100 ? t('partners.file.checking') : t('partners.file.uploading')}
              </Text>
              <Progress value={percent} size="sm" animated={percent >= 100} aria-label={t('partners.file.uploading')} />
            </Stack>
          ) : null}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onDone} disabled={save.isPending}>
              {t('common.action.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('partners.reports.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
