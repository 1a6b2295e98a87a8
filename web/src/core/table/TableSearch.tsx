import { useEffect, useState } from 'react';
import { CloseButton, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useT } from '../../i18n/useT.ts';

type Props = {
  /** The filter's current value (from `table.filters.search`). */
  value: string | undefined;
  /** Called after typing pauses (`(v) => table.setFilter('search', v)`). */
  onChange: (value: string | undefined) => void;
  label: string;
  placeholder?: string;
};

/**
 * A search box for a list, kept in the URL through useTableState:
 *   <TableSearch label={t('users.search')} value={table.filters.search} onChange={(v) => table.setFilter('search', v)} />
 */
export function TableSearch({ value, onChange, label, placeholder }: Props) {
  const t = useT();
  const [text, setText] = useState(value ?? '');
  // Follow the URL when it changes from outside (Back button, reset).
  useEffect(() => setText(value ?? ''), [value]);
  const commit = useDebouncedCallback((v: string) => onChange(v.trim() || undefined), 350);

  return (
    <TextInput
      type="search"
      aria-label={label}
      placeholder={placeholder ?? label}
      leftSection={<IconSearch size={16} aria-hidden />}
      value={text}
      onChange={(e) => {
        setText(e.currentTarget.value);
        commit(e.currentTarget.value);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onChange(text.trim() || undefined);
      }}
      rightSection={
        text ? (
          <CloseButton
            size="sm"
            aria-label={t('common.table.clearSearch')}
            onClick={() => {
              setText('');
              onChange(undefined);
            }}
          />
        ) : null
      }
      miw={240}
    />
  );
}
