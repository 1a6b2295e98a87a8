import { useState } from 'react';
import { Accordion, Badge, Button, Card, Group, Modal, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { IconFileDescription, IconFileText, IconTools, IconUserShare } from '@tabler/icons-react';
import type { Agreement, Secondment } from '@modules/partners/schemas.ts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../core/api.ts';
import type { Page } from '../../core/table/usePagedQuery.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useT.ts';
import { regionLabel } from '../organisations/reference.ts';
import { agreementsKey, Period } from './AgreementsTab.tsx';
import { AccessRequests } from './AccessRequests.tsx';
import { ExpiryNotice } from './ExpiryNotice.tsx';
import { AgreementDocuments } from './AgreementDocuments.tsx';
import { AgreementStatusBadge, categoryLabel, kindLabel, partnersKey, SecondmentStatusBadge, TlpBadge } from './labels.tsx';
import { OffersTable } from './OffersTab.tsx';
import { SecondmentReports } from './SecondmentReports.tsx';


/**
 * Partner analysts: their organisation's agreements with their documents
 * (read-only), the tools and datasets it offers with the access requests to
 * decide, and its experts on secondment with their reports.
 */
export default function OurAgreementsPage() {
  const t = useT();
  const [tab, setTab] = useState<string | null>('agreements');
  return (
    <>
      <PageHeader title={t('partners.our.title')} description={t('partners.our.subtitle')} />
      <ExpiryNotice />
      <Tabs value={tab} onChange={setTab} variant="outline" radius="md" keepMounted={false}>
        <Tabs.List mb="lg" style={{ flexWrap: 'wrap' }}>
          <Tabs.Tab value="agreements" leftSection={<IconFileDescription size={17} aria-hidden />}>
            {t('partners.tab.agreements')}
          </Tabs.Tab>
          <Tabs.Tab value="offers" leftSection={<IconTools size={17} aria-hidden />}>
            {t('partners.tab.offers')}
          </Tabs.Tab>
          <Tabs.Tab value="secondments" leftSection={<IconUserShare size={17} aria-hidden />}>
            {t('partners.tab.secondments')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="agreements">
          <Agreements />
        </Tabs.Panel>
        <Tabs.Panel value="offers">
          <Stack gap="xl">
            <OffersTable manage={false} />
            <Stack gap="sm">
              <Title order={2} fz="lg">
                {t('partners.access.title')}
              </Title>
              <Text size="sm" c="dimmed">
                {t('partners.our.accessLead')}
              </Text>
              <AccessRequests prefix="requests" />
            </Stack>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="secondments">
          <Secondments />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function Agreements() {
  const t = useT();
  // A partner has a handful of agreements: all of them, as cards.
  const list = useQuery({
    queryKey: [...agreementsKey, 'ours'],
    queryFn: ({ signal }) => api.get<Page<Agreement>>('/api/partner-agreements', { query: { pageSize: 200, sort: '-startsOn' }, signal }),
  });

  return (
    <>
      {list.isPending ? (
        <LoadingState variant="form" rows={3} />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState icon={<IconFileDescription aria-hidden />} title={t('partners.our.empty.title')} description={t('partners.our.empty.description')} />
      ) : (
        <Stack gap="md">
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            {list.data.items.map((a) => (
              <AgreementCard key={a.id} agreement={a} />
            ))}
          </SimpleGrid>
        </Stack>
      )}
    </>
  );
}

function AgreementCard({ agreement: a }: { agreement: Agreement }) {
  const t = useT();
  return (
    <Card withBorder radius="md" p="lg" component="article" aria-labelledby={`agreement-${a.id}`}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" mb="xs">
        <Stack gap={2} miw={0}>
          <Title order={2} fz="md" id={`agreement-${a.id}`}>
            <bdi>{a.title}</bdi>
          </Title>
          <Text size="xs" c="dimmed">
            {t(kindLabel[a.kind])} · <Ltr mono>{a.reference}</Ltr>
          </Text>
        </Stack>
        <AgreementStatusBadge status={a.status} />
      </Group>
      <Period a={a} />
      {a.kind === 'data_sharing' ? (
        <Stack gap="xs" mt="md">
          {a.maxTlp ? (
            <Group gap="xs">
              <Text size="sm" fw={600}>
                {t('partners.col.tlp')}
              </Text>
              <TlpBadge tlp={a.maxTlp} />
            </Group>
          ) : null}
          {a.dataCategories.length ? (
            <Group gap={6}>
              <Text size="sm" fw={600}>
                {t('partners.our.categories')}
              </Text>
              {a.dataCategories.map((c) => (
                <Badge key={c} variant="light" color="navy" tt="none">
                  {t(categoryLabel[c])}
                </Badge>
              ))}
            </Group>
          ) : null}
          {a.scopeRegions.length ? (
            <Group gap={6}>
              <Text size="sm" fw={600}>
                {t('partners.our.scope')}
              </Text>
              {a.scopeRegions.map((r) => (
                <Badge key={r} variant="outline" color="gray" tt="none">
                  {t(regionLabel[r])}
                </Badge>
              ))}
            </Group>
          ) : null}
        </Stack>
      ) : null}
      <Accordion variant="contained" radius="md" mt="md" chevronPosition="right">
        <Accordion.Item value="documents">
          <Accordion.Control icon={<IconFileText size={18} aria-hidden />}>{t('partners.documents.title')}</Accordion.Control>
          <Accordion.Panel>
            <AgreementDocuments agreementId={a.id} manage={false} />
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </Card>
  );
}

/** The partner's experts on secondment; each opens its reports. */
function Secondments() {
  const t = useT();
  const [open, setOpen] = useState<Secondment | null>(null);
  const list = useQuery({
    queryKey: [...partnersKey, 'secondments', 'ours'],
    queryFn: ({ signal }) => api.get<Page<Secondment>>('/api/partner-secondments', { query: { pageSize: 200 }, signal }),
  });
  if (list.isPending) return <LoadingState variant="form" rows={3} />;
  if (list.error) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  if (list.data.items.length === 0) return <EmptyState icon={<IconUserShare aria-hidden />} title={t('partners.secondments.empty.title')} description={t('partners.our.secondmentsEmpty')} />;
  return (
    <>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {list.data.items.map((s) => (
          <Card key={s.id} withBorder radius="md" p="lg" component="article" aria-labelledby={`secondment-${s.id}`}>
            <Group justify="space-between" align="flex-start" wrap="nowrap" mb="xs">
              <Stack gap={2} miw={0}>
                <Title order={2} fz="md" id={`secondment-${s.id}`}>
                  <bdi>{s.expertName}</bdi>
                </Title>
                <Text size="xs" c="dimmed">
                  {t('partners.secondment.host')}: <bdi>{s.hostOrganisationName}</bdi>
                </Text>
              </Stack>
              <SecondmentStatusBadge status={s.status} />
            </Group>
            <Period a={s} />
            <Text size="sm" mt="sm" lineClamp={4} style={{ whiteSpace: 'pre-wrap' }}>
              <bdi>{s.objectives}</bdi>
            </Text>
            <Group mt="md">
              <Button variant="light" size="xs" leftSection={<IconFileText size={16} aria-hidden />} onClick={() => setOpen(s)}>
                {t('partners.reports.title')}
              </Button>
            </Group>
          </Card>
        ))}
      </SimpleGrid>
      <Modal opened={open !== null} onClose={() => setOpen(null)} title={t('partners.reports.title')} size="xl" closeButtonProps={{ 'aria-label': t('common.action.close') }}>
        {open ? <SecondmentReports secondment={open} /> : null}
      </Modal>
    </>
  );
}
