import { Tabs } from '@mantine/core';
import { IconDeviceDesktop, IconKey, IconLock, IconShieldLock, IconUserCircle, type Icon } from '@tabler/icons-react';
import type { ComponentType } from 'react';
import { Navigate, useNavigate, useParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useT } from '../../i18n/useT.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { DetailsTab } from './DetailsTab.tsx';
import { PasswordTab } from './PasswordTab.tsx';
import { TwoFactorTab } from './TwoFactorTab.tsx';
import { TokensTab } from './TokensTab.tsx';
import { SessionsTab } from './SessionsTab.tsx';

type Tab = { id: string; label: MessageId; icon: Icon; Panel: ComponentType };

// Each tab has its own address (/profile/<id>) so it can be linked to.
const tabs: Tab[] = [
  { id: 'details', label: 'profile.tab.details', icon: IconUserCircle, Panel: DetailsTab },
  { id: 'password', label: 'profile.tab.password', icon: IconLock, Panel: PasswordTab },
  { id: 'two-factor', label: 'profile.tab.twoFactor', icon: IconShieldLock, Panel: TwoFactorTab },
  { id: 'tokens', label: 'profile.tab.tokens', icon: IconKey, Panel: TokensTab },
  { id: 'sessions', label: 'profile.tab.sessions', icon: IconDeviceDesktop, Panel: SessionsTab },
];

export default function ProfilePage() {
  const t = useT();
  const { tab } = useParams();
  const navigate = useNavigate();
  const current = tabs.find((x) => x.id === tab);
  if (!current) return <Navigate to="/profile/details" replace />;

  return (
    <>
      <PageHeader title={t('profile.title')} description={t('profile.subtitle')} />
      <Tabs value={current.id} onChange={(v) => v && void navigate(`/profile/${v}`)} variant="outline" radius="md" keepMounted={false}>
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
            {x.id === current.id ? <x.Panel /> : null}
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
