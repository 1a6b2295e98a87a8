import { Group, Text, ThemeIcon, UnstyledButton } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useT } from '../../i18n/useT.ts';

/** Product mark: shield + wordmark, linking home. */
export function BrandMark({ size = 'md', asLink = true }: { size?: 'md' | 'lg'; asLink?: boolean }) {
  const t = useT();
  const mark = (
    <Group gap={10} wrap="nowrap">
      <ThemeIcon size={size === 'lg' ? 40 : 32} radius="md" color="navy.9" variant="filled" aria-hidden>
        <IconShieldCheck size={size === 'lg' ? 24 : 20} stroke={1.8} />
      </ThemeIcon>
      <Text fw={700} fz={size === 'lg' ? 24 : 19} c="navy.9" style={{ letterSpacing: '-0.01em' }} lang="en">
        {t('common.app.name')}
      </Text>
    </Group>
  );
  if (!asLink) return mark;
  return (
    <UnstyledButton component={Link} to="/" aria-label={t('common.nav.homeLink')}>
      {mark}
    </UnstyledButton>
  );
}
