import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Card, Group, Modal, SegmentedControl, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconDownload, IconEye, IconLink } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import { FormattedNumber } from 'react-intl';
import { Link, useParams } from 'react-router';
import { api, seg } from '../../core/api.ts';
import { useErrorText } from '../../core/errors.ts';
import { useNotify } from '../../core/notify.tsx';
import { DataTable } from '../../core/table/DataTable.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { FormError } from '../../components/FormError.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useT.ts';
import { regionLabel } from '../organisations/reference.ts';
import { crimeTypeLabel, IndicatorValue, indicatorTypeLabel, sharingKey, TlpBadge, tlpText, type Correlations, type Indicator, type Report } from './labels.tsx';

const tlpBanner = { clear: 'gray', green: 'green', amber: 'yellow', amber_strict: 'orange', red: 'red' } as const;

function CorrelationsCell({ indicator, reportId }: { indicator: Indicator; reportId: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const q = useQuery({
    queryKey: [...sharingKey, 'correlations', indicator.id],
    queryFn: ({ signal }) => api.get<Correlations>(`/api/sharing/indicators/${seg(indicator.id)}/correlations`, { query: { pageSize: 50 }, signal }),
    enabled: open,
  });
  if (!open)
    return (
      <Button variant="subtle" size="compact-sm" leftSection={<IconLink size={14} aria-hidden />} onClick={() => setOpen(true)}>
        {t('sharing.corr.show')}
      </Button>
    );
  if (q.isPending) return <Text size="sm" c="dimmed">{t('sharing.corr.loading')}</Text>;
  if (q.isError) return <Text size="sm" c="red">{t('sharing.corr.failed')}</Text>;
  const c = q.data;
  if (c.state === 'excluded') return <Badge variant="light" color="gray" tt="none">{t('sharing.corr.excluded')}</Badge>;
  if (c.state === 'too_common') return <Badge variant="light" color="orange" tt="none">{t('sharing.corr.tooCommon')}</Badge>;
  const others = c.items.filter((i) => i.report.id !== reportId);
  if (others.length === 0) return <Text size="sm" c="dimmed">{t('sharing.corr.none')}</Text>;
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed">{t('sharing.corr.count', { count: c.total })}</Text>
      {others.map((i) => (
        <Group key={i.id} gap={6} wrap="nowrap">
          <TlpBadge tlp={i.report.tlp} />
          <Anchor component={Link} to={`/sharing/reports/${encodeURIComponent(i.report.id)}`} size="sm">
            <bdi>{i.report.title}</bdi>
          </Anchor>
          <Text size="xs" c="dimmed">
            <bdi>{i.report.reporterOrganisationName}</bdi>
          </Text>
        </Group>
      ))}
    </Stack>
  );
}

function SightingDialog({ indicator, onClose }: { indicator: Indicator | null; onClose: () => void }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const errorText = useErrorText();
  const [kind, setKind] = useState<'seen' | 'false_positive'>('seen');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (i: Indicator) => api.post(`/api/sharing/indicators/${seg(i.id)}/sightings`, { kind, ...(note.trim() ? { note: note.trim() } : {}) }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: sharingKey });
      notify.success(t('sharing.sighting.recorded'));
      setNote('');
      onClose();
    },
    onError: (e) => setError(errorText(e)),
  });
  return (
    <Modal opened={indicator !== null} onClose={onClose} title={t('sharing.sighting.title')}>
      {indicator ? (
        <Stack gap="md">
          <FormError>{error}</FormError>
          <IndicatorValue value={indicator.value} />
          <SegmentedControl
            value={kind}
            onChange={(v) => setKind(v as 'seen' | 'false_positive')}
            data={[
              { value: 'seen', label: t('sharing.sighting.seen') },
              { value: 'false_positive', label: t('sharing.sighting.falsePositive') },
            ]}
          />
          <Textarea label={t('sharing.sighting.note')} autosize minRows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {t('common.action.cancel')}
            </Button>
            <Button loading={save.isPending} onClick={() => save.mutate(indicator)}>
              {t('sharing.sighting.submit')}
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}

export default function ReportPage() {
  const t = useT();
  const { id = '' } = useParams();
  const [sighting, setSighting] = useState<Indicator | null>(null);
  const q = useQuery({ queryKey: [...sharingKey, 'report', id], queryFn: ({ signal }) => api.get<Report>(`/api/sharing/reports/${seg(id)}`, { signal }) });

  if (q.isPending) return <LoadingState />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const r = q.data;

  const columns: DataTableColumn<Indicator>[] = [
    { accessor: 'type', title: t('sharing.col.type'), render: (i) => t(indicatorTypeLabel[i.type]) },
    { accessor: 'value', title: t('sharing.col.value'), render: (i) => <IndicatorValue value={i.value} label={t(indicatorTypeLabel[i.type])} /> },
    { accessor: 'effectiveTlp', title: t('sharing.col.tlp'), render: (i) => <TlpBadge tlp={i.effectiveTlp} /> },
    {
      accessor: 'firstSeen',
      title: t('sharing.col.seenPeriod'),
      render: (i) => (
        <Stack gap={0}>
          <Text size="xs"><DateTime value={i.firstSeen} /></Text>
          <Text size="xs"><DateTime value={i.lastSeen} /></Text>
        </Stack>
      ),
    },
    { accessor: 'sightings', title: t('sharing.col.sightings'), render: (i) => <Text size="sm">{t('sharing.sighting.counts', { seen: i.sightings.seen, fp: i.sightings.falsePositive })}</Text> },
    { accessor: 'correlations', title: t('sharing.col.correlations'), render: (i) => <CorrelationsCell indicator={i} reportId={r.id} /> },
    {
      accessor: 'actions',
      title: <span className="visually-hidden">{t('sharing.col.actions')}</span>,
      render: (i) => (
        <Button variant="light" size="compact-sm" leftSection={<IconEye size={14} aria-hidden />} onClick={() => setSighting(i)}>
          {t('sharing.sighting.action')}
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title={r.title}
        breadcrumbs={[{ label: t('sharing.title'), to: '/sharing' }, { label: r.title }]}
        actions={
          <Button component="a" href={`/api/sharing/reports/${seg(r.id)}/stix`} download={`report-${r.id}.stix.json`} variant="default" leftSection={<IconDownload size={18} aria-hidden />}>
            {t('sharing.detail.exportStix')}
          </Button>
        }
      />
      <Stack gap="lg">
        <Alert color={tlpBanner[r.tlp]} variant="light" radius="md" title={<TlpBadge tlp={r.tlp} />}>
          {t(tlpText[r.tlp])}
        </Alert>
        <Card withBorder radius="md" p="lg">
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md" mb="md">
            <div>
              <Text size="xs" c="dimmed">{t('sharing.col.crimeType')}</Text>
              <Text size="sm">{t(crimeTypeLabel[r.crimeType])}</Text>
            </div>
            <div>
              <Text size="xs" c="dimmed">{t('sharing.col.regions')}</Text>
              <Text size="sm">{r.regions.length ? r.regions.map((g) => t(regionLabel[g])).join(t('sharing.detail.listSeparator')) : '—'}</Text>
            </div>
            <div>
              <Text size="xs" c="dimmed">{t('sharing.col.confidence')}</Text>
              <Text size="sm"><FormattedNumber value={r.confidence / 100} style="percent" /></Text>
            </div>
            <div>
              <Text size="xs" c="dimmed">{t('sharing.col.reporter')}</Text>
              <Text size="sm"><bdi>{r.reporter.organisationName}</bdi></Text>
              <Text size="xs" c="dimmed"><DateTime value={r.createdAt} /></Text>
            </div>
          </SimpleGrid>
          {r.recipients ? (
            <Text size="sm" mb="md">
              {t('sharing.detail.recipients')}{' '}
              {r.recipients.length ? r.recipients.map((x) => x.name).join(t('sharing.detail.listSeparator')) : t('sharing.detail.noRecipients')}
            </Text>
          ) : null}
          <Title order={2} size="h4" mb="xs">{t('sharing.field.summary')}</Title>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            <bdi>{r.summary}</bdi>
          </Text>
        </Card>
        <Title order={2} size="h3">{t('sharing.field.indicators')}</Title>
        <DataTable<Indicator>
          label={t('sharing.field.indicators')}
          columns={columns}
          records={r.indicators}
          tableProps={{ horizontalSpacing: 'sm' }}
          empty={{ title: t('sharing.detail.noIndicators'), description: t('sharing.detail.noIndicatorsText') }}
        />
      </Stack>
      <SightingDialog indicator={sighting} onClose={() => setSighting(null)} />
    </>
  );
}
