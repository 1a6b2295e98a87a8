import { Box, Button, Menu } from '@mantine/core';
import { IconCheck, IconChevronDown, IconLanguage } from '@tabler/icons-react';
import { useChangeLanguage } from '../core/language.ts';
import { useLocale } from '../i18n/I18nProvider.tsx';
import { directionOf, locales, nativeNames } from '../i18n/locales.ts';
import { useT } from '../i18n/useT.ts';

type Props = { variant?: 'subtle' | 'default' };

/** Always at hand (header, sign-in): each language named in itself. */
export function LanguageSwitcher({ variant = 'subtle' }: Props) {
  const t = useT();
  const { locale, switching } = useLocale();
  const change = useChangeLanguage();
  return (
    <Menu position="bottom-end" width={180} shadow="md" withinPortal>
      <Menu.Target>
        <Button
          variant={variant}
          color="gray"
          size="sm"
          px="xs"
          loading={switching}
          leftSection={<IconLanguage size={18} aria-hidden />}
          rightSection={<IconChevronDown size={14} aria-hidden />}
          aria-label={t('common.language.choose', { current: nativeNames[locale] })}
        >
          <Box component="span" lang={locale} visibleFrom="xs">
            {nativeNames[locale]}
          </Box>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('common.language.label')}</Menu.Label>
        {locales.map((l) => (
          <Menu.Item
            key={l}
            lang={l}
            dir={directionOf(l)}
            aria-current={l === locale ? 'true' : undefined}
            rightSection={l === locale ? <IconCheck size={16} aria-hidden /> : null}
            fw={l === locale ? 600 : undefined}
            onClick={() => void change(l)}
          >
            {nativeNames[l]}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
