import { Anchor, Box, Breadcrumbs, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

type Crumb = { label: string; to?: string };

type Props = {
  title: string;
  description?: ReactNode;
  /** Buttons on the trailing side (end in RTL). */
  actions?: ReactNode;
  breadcrumbs?: Crumb[];
};

/**
 * The top of every page: its h1 (focused after navigation, see AppLayout),
 * a line of context, and the page's main actions. Also sets the window title.
 */
export function PageHeader({ title, description, actions, breadcrumbs }: Props) {
  useDocumentTitle(`${title} · Cybercap`);
  return (
    <Stack gap={6} mb="lg">
      {breadcrumbs && breadcrumbs.length > 0 ? (
        <Breadcrumbs separatorMargin={6} fz="sm">
          {breadcrumbs.map((c) =>
            c.to ? (
              <Anchor key={c.label} component={Link} to={c.to} size="sm">
                {c.label}
              </Anchor>
            ) : (
              <Text key={c.label} size="sm" c="dimmed">
                {c.label}
              </Text>
            ),
          )}
        </Breadcrumbs>
      ) : null}
      <Group justify="space-between" align="flex-start" gap="md" wrap="wrap">
        <Box style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Title order={1} fz={{ base: 24, sm: 28 }} lh={1.25} tabIndex={-1} data-page-title>
            {title}
          </Title>
          {description ? (
            <Text component="div" c="dimmed" mt={6} size="sm" maw={760}>
              {description}
            </Text>
          ) : null}
        </Box>
        {actions ? <Group gap="sm">{actions}</Group> : null}
      </Group>
    </Stack>
  );
}
