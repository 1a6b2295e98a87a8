import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconFileDescription } from '@tabler/icons-react';
import type { Agreement } from '@modules/partners/schemas.ts';
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
import { AgreementStatusBadge, categoryLabel, kindLabel, TlpBadge } from './labels.tsx';

/** Partner analysts: the agreements of their own organisation, read-only. */
export default function OurAgreementsPage() {
  const t = useT();
  // A partner has a handful of agreements: all of them, as cards.
  const list = useQuery({
    queryKey: [...agreementsKey, 'ours'],
    queryFn: ({ signal }) => api.get<Page<Agreement>>('/api/partner-agreements', { query: { pageSize: 200, sort: '-startsOn' }, signal }),
  });

  return (
    <>
      <PageHeader title={t('partners.our.title')} description={t('partners.our.subtitle')} />
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
    </Card>
  );
}
