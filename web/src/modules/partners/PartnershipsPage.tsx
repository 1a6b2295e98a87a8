import { Tabs } from '@mantine/core';
import { IconFileDescription, IconInbox, IconTools, IconUserShare } from '@tabler/icons-react';
import { Navigate, useNavigate, useParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useT.ts';
import { ApplicationsTab } from './ApplicationsTab.tsx';
import { AgreementsTab } from './AgreementsTab.tsx';
import { ExpiryNotice } from './ExpiryNotice.tsx';
import { OffersTab } from './OffersTab.tsx';
import { SecondmentsTab } from './SecondmentsTab.tsx';

const tabs = [
  { id: 'applications', label: 'partners.tab.applications', icon: IconInbox, Panel: ApplicationsTab },
  { id: 'agreements', label: 'partners.tab.agreements', icon: IconFileDescription, Panel: AgreementsTab },
  { id: 'secondments', label: 'partners.tab.secondments', icon: IconUserShare, Panel: SecondmentsTab },
  { id: 'offers', label: 'partners.tab.offers', icon: IconTools, Panel: OffersTab },
] as const;

/** Administration → Partnerships: the application pipeline, agreements, secondments, and tools and datasets. */
export default function PartnershipsPage() {
  const t = useT();
  const { tab } = useParams();
  const navigate = useNavigate();
  const current = tabs.find((x) => x.id === (tab ?? 'applications'));
  if (!current) return <Navigate to="/admin/partners" replace />;

  return (
    <>
      <PageHeader title={t('partners.title')} description={t('partners.subtitle')} />
      {/* The Agreements tab shows the reminders in full. */}
      {current.id !== 'agreements' ? <ExpiryNotice showPartner link="/admin/partners/agreements" /> : null}
      <Tabs value={current.id} onChange={(v) => v && void navigate(v === 'applications' ? '/admin/partners' : `/admin/partners/${v}`)} variant="outline" radius="md" keepMounted={false}>
        <Tabs.List mb="lg" style={{ flexWrap: 'wrap' }}>
          {tabs.map((x) => {
            const TabIcon = x.icon;
            return (
              <Tabs.Tab key={x.id} value={x.id} leftSection={<TabIcon size={17} aria-hidden />}>
                {t(x.label)}
              </Tabs.Tab>
            );
          })}
        </Tabs.List>
        {tabs.map((x) => (
          <Tabs.Panel key={x.id} value={x.id}>
            <x.Panel />
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
