import { Avatar, Group, Menu, Stack, Text, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconKey, IconLogout, IconShieldLock, IconUserCircle } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useMe, useSignOut } from '../../core/session.ts';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';

export const initialsOf = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase() ?? '')
    .join('');

export function UserMenu() {
  const t = useT();
  const me = useMe();
  const signOut = useSignOut();

  return (
    <Menu position="bottom-end" width={260} withinPortal>
      <Menu.Target>
        <UnstyledButton aria-label={t('common.userMenu.open', { name: me.displayName })} px={6} py={4} style={{ borderRadius: 'var(--mantine-radius-md)' }}>
          <Group gap={8} wrap="nowrap">
            <Avatar color="navy" radius="xl" size={32} aria-hidden>
              {initialsOf(me.displayName)}
            </Avatar>
            <Text size="sm" fw={500} visibleFrom="sm" maw={180} truncate>
              {me.displayName}
            </Text>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Stack gap={0} px="sm" py={8}>
          <Text size="sm" fw={600} truncate>
            {me.displayName}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            <Ltr>{me.email}</Ltr>
          </Text>
        </Stack>
        <Menu.Divider />
        <Menu.Item component={Link} to="/profile/details" leftSection={<IconUserCircle size={17} aria-hidden />}>
          {t('common.userMenu.profile')}
        </Menu.Item>
        <Menu.Item component={Link} to="/profile/two-factor" leftSection={<IconShieldLock size={17} aria-hidden />}>
          {t('common.userMenu.security')}
        </Menu.Item>
        <Menu.Item component={Link} to="/profile/tokens" leftSection={<IconKey size={17} aria-hidden />}>
          {t('common.userMenu.tokens')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={17} aria-hidden />}
          onClick={() => void signOut()}
        >
          {t('common.userMenu.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
