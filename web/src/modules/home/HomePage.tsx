import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconBuildingCommunity, IconCertificate, IconHeartHandshake, IconMicrophone2, IconShieldCheck, IconShieldExclamation, IconTargetArrow, IconUsersGroup, type Icon } from '@tabler/icons-react';
import { FormattedDisplayName, FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { hasPermission, useMe, useSessionQuery, type Permission } from '../../core/session.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { useT } from '../../i18n/useT.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { RoleBadges } from '../../components/RoleBadges.tsx';
import { MyExercises } from '../exercises/MyExercises.tsx';

type Part = { key: string; icon: Icon; title: MessageId; description: MessageId; open?: { to: string; permission?: Permission } };

// The five parts of the platform, built module by module.
const parts: Part[] = [
  { key: 'exercises', icon: IconTargetArrow, title: 'home.part.exercises.title', description: 'home.part.exercises.description', open: { to: '/exercises' } },
  { key: 'capacity', icon: IconCertificate, title: 'home.part.capacity.title', description: 'home.part.capacity.description' },
  { key: 'partnerships', icon: IconHeartHandshake, title: 'home.part.partnerships.title', description: 'home.part.partnerships.description', open: { to: '/sharing', permission: 'sharing.read' } },
  { key: 'groups', icon: IconUsersGroup, title: 'home.part.groups.title', description: 'home.part.groups.description' },
  { key: 'conference', icon: IconMicrophone2, title: 'home.part.conference.title', description: 'home.part.conference.description' },
];

export default function HomePage() {
  const t = useT();
  const me = useMe();
  const { data: session } = useSessionQuery();
  const firstName = me.displayName.split(/\s+/)[0] ?? me.displayName;

  return (
    <>
      <PageHeader title={t('home.title', { name: firstName })} description={t('home.subtitle')} />
      <MyExercises />

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" mb="xl">
        <Card p="lg">
          <Group gap="md" align="flex-start" wrap="nowrap">
            <ThemeIcon size={44} radius="md" variant="light" aria-hidden>
              <IconBuildingCommunity size={24} />
            </ThemeIcon>
            <Stack gap={4} style={{ minWidth: 0 }}>
              <Text size="xs" c="dimmed" fw={600} tt="uppercase" className="nav-section-label">
                {t('home.organisation.label')}
              </Text>
              <Text fw={600} size="lg" lh={1.3}>
                {me.organisation.name}
              </Text>
              <Text size="sm" c="dimmed">
                {t(me.organisation.kind === 'police_unit' ? 'home.organisation.policeUnit' : 'home.organisation.partner')}
                {' · '}
                <FormattedDisplayName type="region" value={me.organisation.countryCode} />
              </Text>
              <Group gap={6} mt={6}>
                <RoleBadges roles={me.roles} />
              </Group>
            </Stack>
          </Group>
        </Card>

        <Card p="lg">
          <Group gap="md" align="flex-start" wrap="nowrap">
            <ThemeIcon size={44} radius="md" variant="light" color={me.totpEnabled ? 'teal' : 'orange'} aria-hidden>
              {me.totpEnabled ? <IconShieldCheck size={24} /> : <IconShieldExclamation size={24} />}
            </ThemeIcon>
            <Stack gap={4}>
              <Text size="xs" c="dimmed" fw={600} tt="uppercase" className="nav-section-label">
                {t('home.security.label')}
              </Text>
              <Text fw={600} size="lg" lh={1.3}>
                {t(me.totpEnabled ? 'home.security.totpOn' : 'home.security.totpOff')}
              </Text>
              <Text size="sm" c="dimmed">
                {me.previousSignInAt ? (
                  <FormattedMessage id="home.security.lastSignIn" values={{ when: <DateTime value={me.previousSignInAt} /> }} />
                ) : (
                  t('home.security.firstSignIn')
                )}
              </Text>
              <Anchor component={Link} to={me.totpEnabled ? '/profile/sessions' : '/profile/two-factor'} size="sm" mt={6}>
                {t(me.totpEnabled ? 'home.security.reviewSessions' : 'home.security.enableTotp')}
              </Anchor>
            </Stack>
          </Group>
        </Card>
      </SimpleGrid>

      <Stack gap={4} mb="md">
        <Title order={2} fz="lg">
          {t('home.parts.title')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('home.parts.subtitle')}
        </Text>
      </Stack>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="lg">
        {parts.map((p) => {
          const PartIcon = p.icon;
          return (
            <Card key={p.key} p="lg" component="section" aria-labelledby={`part-${p.key}`}>
              <Group justify="space-between" align="flex-start" mb="md">
                <ThemeIcon size={40} radius="md" variant="light" aria-hidden>
                  <PartIcon size={22} stroke={1.7} />
                </ThemeIcon>
                {p.open && hasPermission(session ?? null, p.open.permission) ? (
                  <Anchor component={Link} to={p.open.to} size="sm" fw={600}>
                    {t('home.parts.open')}
                  </Anchor>
                ) : p.open ? null : (
                  <Badge color="gray" variant="light">
                    {t('home.parts.comingSoon')}
                  </Badge>
                )}
              </Group>
              <Title order={3} fz="md" id={`part-${p.key}`} mb={6}>
                {t(p.title)}
              </Title>
              <Text size="sm" c="dimmed" lh={1.55}>
                {t(p.description)}
              </Text>
            </Card>
          );
        })}
      </SimpleGrid>
    </>
  );
}
