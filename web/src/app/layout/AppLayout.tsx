import { useEffect, useRef } from 'react';
import { AppShell, Burger, Container, Group } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet, useLocation } from 'react-router';
import { LanguageSwitcher } from '../../components/LanguageSwitcher.tsx';
import { useT } from '../../i18n/useT.ts';
import { AppNavbar } from './AppNavbar.tsx';
import { BrandMark } from './BrandMark.tsx';
import { UserMenu } from './UserMenu.tsx';

/** After a client-side navigation, move focus to the new page's title so screen readers announce it. */
function useFocusTitleOnNavigate() {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    let tries = 0;
    const timer = window.setInterval(() => {
      const title = document.querySelector<HTMLElement>('main [data-page-title]');
      if (title || ++tries > 40) {
        window.clearInterval(timer);
        (title ?? document.querySelector<HTMLElement>('main'))?.focus({ preventScroll: true });
      }
    }, 25);
    return () => window.clearInterval(timer);
  }, [pathname]);
}

/** The signed-in shell: header (brand, language, user menu), side menu, and the page. */
export function AppLayout() {
  const t = useT();
  const [opened, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();
  useFocusTitleOnNavigate();
  useEffect(close, [pathname, close]);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 248, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'md', sm: 'lg', lg: 'xl' }}
    >
      <a className="skip-link" href="#main">
        {t('common.nav.skipToContent')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('common.nav.close') : t('common.nav.open')}
              aria-expanded={opened}
              aria-controls="app-navbar"
            />
            <BrandMark />
          </Group>
          <Group gap="xs" wrap="nowrap">
            <LanguageSwitcher />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar id="app-navbar" p="sm" aria-label={t('common.nav.label')}>
        <AppNavbar onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} bg="var(--app-surface)">
        <Container size="xl" px={0}>
          <Outlet />
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
