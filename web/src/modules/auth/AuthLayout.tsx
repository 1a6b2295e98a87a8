import type { ReactNode } from 'react';
import { Box, Group, List, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconBuildingBank, IconCertificate, IconShieldLock, IconUsersGroup } from '@tabler/icons-react';
import { LanguageSwitcher } from '../../components/LanguageSwitcher.tsx';
import { BrandMark } from '../../app/layout/BrandMark.tsx';
import { useT } from '../../i18n/useT.ts';

/**
 * The frame of the public pages (sign-in, password reset, 2FA enrolment):
 * an identity panel on the start side (hidden on small screens), the form
 * on the end side, the language switcher always at hand.
 */
export function AuthLayout({ children, wide }: { children: ReactNode; wide?: boolean }) {
  const t = useT();
  return (
    <Box mih="100dvh" style={{ display: 'flex' }}>
      <Box
        visibleFrom="md"
        w={{ md: 420, lg: 480 }}
        p={48}
        style={{
          flexShrink: 0,
          display: 'flex',
          flexDirection: 'column',
          justifyContent: 'space-between',
          color: 'var(--mantine-color-white)',
          background:
            'radial-gradient(120% 80% at 0% 0%, rgba(94,134,206,0.35) 0%, rgba(20,48,107,0) 60%), linear-gradient(160deg, #14306b 0%, #0d2150 55%, #0a1a3f 100%)',
        }}
      >
        <Group gap={10} wrap="nowrap">
          <ThemeIcon size={40} radius="md" color="white" variant="white" aria-hidden>
            <IconShieldLock size={24} color="var(--mantine-color-navy-9)" />
          </ThemeIcon>
          <Text fw={700} fz={24} lang="en">
            {t('common.app.name')}
          </Text>
        </Group>
        <Stack gap="lg">
          <Title order={2} fz={28} fw={650} c="white" lh={1.3}>
            {t('auth.panel.headline')}
          </Title>
          <Text c="rgba(255,255,255,0.78)" size="md">
            {t('auth.panel.lead')}
          </Text>
          <List spacing="sm" size="sm" c="rgba(255,255,255,0.9)" center>
            <List.Item icon={<PanelIcon><IconCertificate size={16} /></PanelIcon>}>{t('auth.panel.point.exercises')}</List.Item>
            <List.Item icon={<PanelIcon><IconUsersGroup size={16} /></PanelIcon>}>{t('auth.panel.point.network')}</List.Item>
            <List.Item icon={<PanelIcon><IconBuildingBank size={16} /></PanelIcon>}>{t('auth.panel.point.partners')}</List.Item>
          </List>
        </Stack>
        <Text size="xs" c="rgba(255,255,255,0.6)">
          {t('auth.panel.notice')}
        </Text>
      </Box>
      <Box style={{ flex: 1, display: 'flex', flexDirection: 'column', minWidth: 0 }} bg="white">
        <Group justify="space-between" px={{ base: 'md', sm: 'xl' }} py="md">
          <Box hiddenFrom="md">
            <BrandMark asLink={false} />
          </Box>
          <Box ms="auto">
            <LanguageSwitcher variant="default" />
          </Box>
        </Group>
        <Box component="main" id="main" style={{ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center' }} px="md" py="xl">
          <Paper w="100%" maw={wide ? 640 : 420} p={0} bg="transparent">
            {children}
          </Paper>
        </Box>
        <Text size="xs" c="dimmed" ta="center" pb="md" px="md" hiddenFrom="md">
          {t('auth.panel.notice')}
        </Text>
      </Box>
    </Box>
  );
}

function PanelIcon({ children }: { children: ReactNode }) {
  return (
    <ThemeIcon size={26} radius="xl" variant="light" color="white" bg="rgba(255,255,255,0.12)" c="white" aria-hidden>
      {children}
    </ThemeIcon>
  );
}
