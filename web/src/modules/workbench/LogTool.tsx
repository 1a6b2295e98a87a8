import { useDeferredValue, useMemo, useState } from 'react';
import { ActionIcon, Badge, Box, Button, Card, CloseButton, Group, Paper, Popover, Stack, Table, Text, TextInput, Tooltip, UnstyledButton } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconArrowDown, IconArrowUp, IconArrowsSort, IconChartBar, IconClock, IconFilter, IconFilterOff, IconSearch } from '@tabler/icons-react';
import { FormattedNumber } from 'react-intl';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import type { MessageId } from '../../i18n/message-ids.ts';
import { VirtualLines } from '../play/viewers/VirtualLines.tsx';
import { AddButton } from './AddToCaseFile.tsx';
import { filterRows, histogram, sortRows, timeSpan, topValues, type LogFormat, type LogTable } from './logs.ts';
import { isoUtc, parseTime } from './net.ts';
import { parseLogOffThread } from './parse.ts';
import type { Exhibit } from './WorkbenchPanel.tsx';

const rowHeight = 24;
const maxCellChars = 48;
const bins = 60;

const formatLabel: Record<LogFormat, MessageId> = {
  csv: 'workbench.logs.format.csv',
  tsv: 'workbench.logs.format.tsv',
  jsonl: 'workbench.logs.format.jsonl',
  syslog: 'workbench.logs.format.syslog',
  kv: 'workbench.logs.format.kv',
  text: 'workbench.logs.format.text',
};

/** The exhibit as a table, parsed off the page's thread. */
export function useLogTable(exhibit: Exhibit) {
  return useQuery({
    queryKey: ['workbench-table', exhibit.item.key, exhibit.item.sha256],
    queryFn: () => parseLogOffThread(exhibit.bytes, new Date().getUTCFullYear()),
    staleTime: Infinity,
    gcTime: 60_000,
    retry: false,
  });
}

export function LogTool({ exhibit }: { exhibit: Exhibit }) {
  const table = useLogTable(exhibit);
  if (table.isPending) return <LoadingState variant="table" />;
  if (table.error) return <ErrorState error={table.error} onRetry={() => void table.refetch()} />;
  return <LogView table={table.data} exhibit={exhibit} />;
}

type Sort = { column: number; direction: 'asc' | 'desc' } | null;

function LogView({ table, exhibit }: { table: LogTable; exhibit: Exhibit }) {
  const t = useT();
  const [search, setSearch] = useState('');
  const [filters, setFilters] = useState<Record<number, string>>({});
  const [sort, setSort] = useState<Sort>(null);
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [selected, setSelected] = useState<number | null>(null);
  const deferredSearch = useDeferredValue(search);
  const deferredFilters = useDeferredValue(filters);
  const from = fromText.trim() ? parseTime(fromText) : null;
  const to = toText.trim() ? parseTime(toText) : null;
  const badFrom = from !== null && !Number.isFinite(from);
  const badTo = to !== null && !Number.isFinite(to);
  const range = { from: badFrom ? null : from, to: badTo ? null : to };

  const withoutTime = useMemo(() => filterRows(table, { search: deferredSearch, columns: deferredFilters }), [table, deferredSearch, deferredFilters]);
  const filtered = useMemo(() => (range.from === null && range.to === null ? withoutTime : filterRows(table, { search: deferredSearch, columns: deferredFilters, from: range.from, to: range.to })), [table, withoutTime, deferredSearch, deferredFilters, range.from, range.to]);
  const rows = useMemo(() => (sort ? sortRows(table, filtered, sort.column, sort.direction) : filtered), [table, filtered, sort]);
  const span = useMemo(() => timeSpan(table), [table]);
  const counts = useMemo(() => (span ? histogram(table, withoutTime, span, bins) : null), [table, withoutTime, span]);

  const widths = useMemo(
    () =>
      table.columns.map((name, c) => {
        // The last column (often the message) may run long; the others are kept narrow enough to see several at once.
        const cap = c === table.columns.length - 1 ? 4 * maxCellChars : maxCellChars;
        let w = name.length + 7;
        for (let i = 0; i < Math.min(400, table.rows.length); i++) w = Math.max(w, Math.min(cap, (table.rows[i]?.[c] ?? '').length + 2));
        return w;
      }),
    [table],
  );
  const gutter = String(table.rows.length).length + 2;
  const filtering = deferredSearch !== '' || Object.values(deferredFilters).some((v) => v.trim() !== '') || range.from !== null || range.to !== null;
  const setFilter = (c: number, v: string) => setFilters((f) => ({ ...f, [c]: v }));
  const toggleSort = (c: number) => setSort((s) => (s?.column !== c ? { column: c, direction: 'asc' } : s.direction === 'asc' ? { column: c, direction: 'desc' } : null));
  const clearAll = () => {
    setSearch('');
    setFilters({});
    setFromText('');
    setToText('');
  };

  const header = (
    <Box style={{ position: 'sticky', top: 0, zIndex: 2, background: 'var(--mantine-color-gray-1)', borderBottom: '1px solid var(--mantine-color-gray-4)', minWidth: 'max-content', fontSize: 12 }}>
      <div style={{ display: 'flex', height: rowHeight + 4, alignItems: 'center' }}>
        <span style={{ width: `${gutter}ch`, flex: 'none' }} />
        {table.columns.map((name, c) => (
          <Group key={c} gap={2} wrap="nowrap" style={{ width: `${widths[c]}ch`, flex: 'none', paddingInline: '0.5ch' }}>
            <UnstyledButton onClick={() => toggleSort(c)} style={{ fontWeight: 700, fontSize: 12, fontFamily: 'var(--mantine-font-family-monospace)', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} aria-label={t('workbench.logs.sortBy', { column: name })}>
              {name}
            </UnstyledButton>
            {c === table.timeColumn ? <IconClock size={12} aria-hidden /> : null}
            {sort?.column === c ? sort.direction === 'asc' ? <IconArrowUp size={12} aria-hidden /> : <IconArrowDown size={12} aria-hidden /> : <IconArrowsSort size={12} color="var(--mantine-color-gray-5)" aria-hidden />}
            <TopValues table={table} rows={filtered} column={c} onPick={(v) => setFilter(c, `=${v}`)} />
          </Group>
        ))}
      </div>
      <div style={{ display: 'flex', height: rowHeight + 6, alignItems: 'center', paddingBottom: 2 }}>
        <span style={{ width: `${gutter}ch`, flex: 'none', display: 'flex', justifyContent: 'center' }}>
          <IconFilter size={12} color="var(--mantine-color-gray-6)" aria-hidden />
        </span>
        {table.columns.map((name, c) => (
          <Box key={c} style={{ width: `${widths[c]}ch`, flex: 'none', paddingInline: '0.5ch' }}>
            <TextInput size="xs" value={filters[c] ?? ''} onChange={(e) => setFilter(c, e.currentTarget.value)} aria-label={t('workbench.logs.filterColumn', { column: name })} placeholder="…" styles={{ input: { height: 22, minHeight: 22, fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 11 } }} />
          </Box>
        ))}
      </div>
    </Box>
  );

  const row = selected !== null ? table.rows[selected] : undefined;
  const rowTime = selected !== null && Number.isFinite(table.times[selected] ?? NaN) ? isoUtc(table.times[selected] ?? 0) : null;

  return (
    <Stack gap="sm">
      <Card p="md">
        <Stack gap="sm">
          <Group gap="sm" wrap="wrap" align="flex-end">
            <TextInput
              type="search"
              label={t('workbench.logs.search')}
              placeholder={t('workbench.logs.searchPlaceholder')}
              leftSection={<IconSearch size={16} aria-hidden />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              dir="auto"
              style={{ flex: '1 1 260px' }}
            />
            {table.timeColumn >= 0 ? (
              <>
                <TextInput label={t('workbench.logs.from')} placeholder="2025-03-10T07:00:00Z" value={fromText} onChange={(e) => setFromText(e.currentTarget.value)} error={badFrom ? t('workbench.logs.badTime') : undefined} dir="ltr" styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} w={230} />
                <TextInput label={t('workbench.logs.to')} placeholder="2025-03-10T08:00:00Z" value={toText} onChange={(e) => setToText(e.currentTarget.value)} error={badTo ? t('workbench.logs.badTime') : undefined} dir="ltr" styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} w={230} />
              </>
            ) : null}
            <Button variant="default" leftSection={<IconFilterOff size={16} aria-hidden />} onClick={clearAll} disabled={!filtering}>
              {t('workbench.logs.clear')}
            </Button>
          </Group>
          <Group gap="md" wrap="wrap">
            <Badge variant="light" color="gray">
              {t(formatLabel[table.format])}
            </Badge>
            <Text size="sm" aria-live="polite">
              {t('workbench.logs.count', { shown: rows.length, total: table.rows.length })}
            </Text>
            {span ? (
              <Text size="xs" c="dimmed">
                {t('workbench.logs.span')} <Ltr mono>{isoUtc(span.from)}</Ltr> → <Ltr mono>{isoUtc(span.to)}</Ltr>
              </Text>
            ) : (
              <Text size="xs" c="dimmed">
                {t('workbench.logs.noTime')}
              </Text>
            )}
            {table.comments.length > 0 ? (
              <Popover width={520} position="bottom-start" withinPortal>
                <Popover.Target>
                  <Button size="compact-xs" variant="subtle">
                    {t('workbench.logs.comments', { count: table.comments.length })}
                  </Button>
                </Popover.Target>
                <Popover.Dropdown>
                  <Ltr block mono fz="xs" style={{ whiteSpace: 'pre-wrap', maxHeight: 240, overflow: 'auto' }}>
                    {table.comments.join('\n')}
                  </Ltr>
                </Popover.Dropdown>
              </Popover>
            ) : null}
          </Group>
          {span && counts ? (
            <Histogram
              counts={counts}
              span={span}
              range={range}
              onPick={(a, b) => {
                setFromText(isoUtc(a));
                setToText(isoUtc(b));
              }}
            />
          ) : null}
        </Stack>
      </Card>

      <Paper withBorder radius="sm" style={{ overflow: 'hidden' }}>
        <VirtualLines
          count={rows.length}
          lineHeight={rowHeight}
          height={`min(60vh, ${Math.max(160, rows.length * rowHeight + 64)}px)`}
          label={t('workbench.logs.tableOf', { file: exhibit.item.fileName })}
          header={header}
          renderLine={(k) => {
            const i = rows[k] ?? 0;
            const cells = table.rows[i] ?? [];
            const active = i === selected;
            return (
              <div
                key={i}
                onClick={() => setSelected(active ? null : i)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' || e.key === ' ') {
                    e.preventDefault();
                    setSelected(active ? null : i);
                  }
                }}
                tabIndex={0}
                role="button"
                aria-pressed={active}
                style={{ display: 'flex', height: rowHeight, whiteSpace: 'pre', cursor: 'pointer', background: active ? 'var(--mantine-color-blue-1)' : k % 2 ? 'var(--mantine-color-gray-0)' : undefined, fontSize: 12 }}
              >
                <span aria-hidden style={{ width: `${gutter}ch`, flex: 'none', textAlign: 'right', paddingRight: '1ch', color: 'var(--mantine-color-gray-6)', userSelect: 'none' }}>
                  {table.lines[i]}
                </span>
                {table.columns.map((_, c) => (
                  <span key={c} title={(cells[c] ?? '').length > widths[c]! - 2 ? cells[c] : undefined} style={{ width: `${widths[c]}ch`, flex: 'none', overflow: 'hidden', textOverflow: 'ellipsis', paddingInline: '0.5ch' }}>
                    {cells[c]}
                  </span>
                ))}
              </div>
            );
          }}
        />
      </Paper>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed" ta="center">
          {t('workbench.logs.noRows')}
        </Text>
      ) : (
        <Text size="xs" c="dimmed">
          {t('workbench.logs.rowHint')}
        </Text>
      )}

      {row && selected !== null ? (
        <Card p="md" withBorder>
          <Group justify="space-between" mb="xs">
            <Text fw={600} size="sm">
              {t('workbench.logs.row', { line: table.lines[selected] ?? 0 })}
              {rowTime ? (
                <>
                  {' · '}
                  <Ltr mono>{rowTime}</Ltr>
                </>
              ) : null}
            </Text>
            <Group gap="xs">
              <AddButton pick={{ value: row.join(' | ').slice(0, 2000), exhibit: exhibit.item.key, at: rowTime, context: t('workbench.logs.rowContext', { line: table.lines[selected] ?? 0 }) }} />
              <CloseButton onClick={() => setSelected(null)} aria-label={t('common.action.close')} />
            </Group>
          </Group>
          <Table striped withRowBorders={false} fz="sm">
            <Table.Tbody>
              {table.columns.map((name, c) =>
                row[c] ? (
                  <Table.Tr key={c}>
                    <Table.Th w={180} style={{ verticalAlign: 'top' }}>
                      <Ltr mono fz="xs">
                        {name}
                      </Ltr>
                    </Table.Th>
                    <Table.Td>
                      <Ltr block mono fz="xs" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
                        {row[c]}
                      </Ltr>
                    </Table.Td>
                    <Table.Td w={40}>
                      <AddButton size="xs" pick={{ value: row[c] ?? '', exhibit: exhibit.item.key, at: rowTime, context: name }} />
                    </Table.Td>
                  </Table.Tr>
                ) : null,
              )}
            </Table.Tbody>
          </Table>
        </Card>
      ) : null}
    </Stack>
  );
}

function TopValues({ table, rows, column, onPick }: { table: LogTable; rows: Int32Array; column: number; onPick: (value: string) => void }) {
  const t = useT();
  const [opened, setOpened] = useState(false);
  const name = table.columns[column] ?? '';
  return (
    <Popover opened={opened} onChange={setOpened} width={360} position="bottom-start" withinPortal>
      <Popover.Target>
        <Tooltip label={t('workbench.logs.topValues', { column: name })}>
          <ActionIcon size="xs" variant="subtle" color="gray" onClick={() => setOpened((o) => !o)} aria-label={t('workbench.logs.topValues', { column: name })}>
            <IconChartBar size={12} aria-hidden />
          </ActionIcon>
        </Tooltip>
      </Popover.Target>
      <Popover.Dropdown>
        {opened ? (
          <Stack gap={4}>
            <Text size="xs" fw={600}>
              {t('workbench.logs.topValues', { column: name })}
            </Text>
            {topValues(table, rows, column).map((v) => (
              <UnstyledButton
                key={v.value}
                onClick={() => {
                  onPick(v.value);
                  setOpened(false);
                }}
                style={{ display: 'flex', justifyContent: 'space-between', gap: 8, fontSize: 12 }}
              >
                <Ltr mono style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                  {v.value === '' ? '∅' : v.value}
                </Ltr>
                <Text span size="xs" c="dimmed" style={{ flex: 'none' }}>
                  <FormattedNumber value={v.count} />
                </Text>
              </UnstyledButton>
            ))}
          </Stack>
        ) : null}
      </Popover.Dropdown>
    </Popover>
  );
}

/** Events over time (the search and column filters applied); a click on a bar selects its period. */
function Histogram({ counts, span, range, onPick }: { counts: number[]; span: { from: number; to: number }; range: { from: number | null; to: number | null }; onPick: (from: number, to: number) => void }) {
  const t = useT();
  const max = Math.max(1, ...counts);
  const width = Math.max(1, span.to - span.from) / counts.length;
  const inRange = (i: number) => {
    const a = span.from + i * width;
    const b = a + width;
    return (range.from === null || b >= range.from) && (range.to === null || a <= range.to);
  };
  return (
    <Box dir="ltr">
      <svg viewBox={`0 0 ${counts.length * 10} 48`} width="100%" height={56} preserveAspectRatio="none" role="img" aria-label={t('workbench.logs.histogram')}>
        {counts.map((n, i) => {
          const h = n === 0 ? 0 : Math.max(2, (n / max) * 46);
          return (
            <rect key={i} x={i * 10 + 1} y={48 - h} width={8} height={h} fill={inRange(i) ? 'var(--mantine-color-navy-5, #3b5b92)' : 'var(--mantine-color-gray-4)'} style={{ cursor: n ? 'pointer' : undefined }} onClick={() => n && onPick(Math.floor(span.from + i * width), Math.ceil(span.from + (i + 1) * width))}>
              <title>{`${isoUtc(Math.floor(span.from + i * width))} — ${n}`}</title>
            </rect>
          );
        })}
      </svg>
      <Group justify="space-between">
        <Ltr mono fz={10} c="dimmed">
          {isoUtc(span.from)}
        </Ltr>
        <Ltr mono fz={10} c="dimmed">
          {isoUtc(span.to)}
        </Ltr>
      </Group>
    </Box>
  );
}
