import { NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { matchPath, NavLink as RouterNavLink, useLocation } from 'react-router';
import { useCan } from '../../core/session.ts';
import { useT } from '../../i18n/useT.ts';
import { navigation, navSections } from '../registry.ts';

/** The side menu, built from the registry and filtered by the user's permissions. */
export function AppNavbar({ onNavigate }: { onNavigate: () => void }) {
  const t = useT();
  const can = useCan();
  const { pathname } = useLocation();
  const visible = navigation.filter((e) => can(e.permission));

  return (
    <ScrollArea type="scroll" style={{ flex: 1 }}>
      <Stack gap="lg" py="xs">
        {navSections.map((section) => {
          const entries = visible.filter((e) => e.section === section.id);
          if (entries.length === 0) return null;
          const headingId = `nav-section-${section.id}`;
          return (
            <Stack key={section.id} gap={2} role="group" aria-labelledby={section.label ? headingId : undefined}>
              {section.label ? (
                <Text id={headingId} className="nav-section-label" size="xs" fw={700} c="dimmed" px="sm" mb={4}>
                  {t(section.label)}
                </Text>
              ) : null}
              {entries.map((e) => {
                const active = Boolean(matchPath({ path: e.to, end: e.end ?? false }, pathname));
                const Icon = e.icon;
                return (
                  <NavLink
                    key={e.to}
                    component={RouterNavLink}
                    to={e.to}
                    end={e.end}
                    label={t(e.label)}
                    leftSection={<Icon size={19} stroke={1.7} aria-hidden />}
                    active={active}
                    aria-current={active ? 'page' : undefined}
                    onClick={onNavigate}
                    variant="light"
                    fw={500}
                    style={{ borderRadius: 'var(--mantine-radius-md)' }}
                  />
                );
              })}
            </Stack>
          );
        })}
      </Stack>
    </ScrollArea>
  );
}
