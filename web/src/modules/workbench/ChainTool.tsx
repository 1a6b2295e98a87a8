import { useMemo, useState } from 'react';
import { Alert, Badge, Box, Button, Card, Group, ScrollArea, Select, SimpleGrid, Stack, Switch, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { IconArrowRight, IconFocus2, IconRepeat } from '@tabler/icons-react';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { AddButton } from './AddToCaseFile.tsx';
import { buildGraph, chainColumns, defaultSource, followMoney, formatUnits, layout, type ChainGraph, type Transfer } from './chain.ts';
import { useLogTable } from './LogTool.tsx';
import { isoUtc } from './net.ts';
import type { Exhibit } from './WorkbenchPanel.tsx';

/** Beyond this many addresses around the source the drawing is unreadable; the tables still show everything. */
const maxDrawn = 250;
const nodeWidth = 200;
const nodeHeight = 54;
const short = (address: string) => (address.length > 20 ? `${address.slice(0, 10)}…${address.slice(-6)}` : address);
const timeOf = (t: Transfer) => (Number.isFinite(t.time) ? isoUtc(t.time) : t.timeText || null);

export function ChainTool({ exhibit }: { exhibit: Exhibit }) {
  const t = useT();
  const table = useLogTable(exhibit);
  if (table.isPending) return <LoadingState variant="table" />;
  if (table.error) return <ErrorState error={table.error} onRetry={() => void table.refetch()} />;
  const columns = chainColumns(table.data.columns);
  if (!columns) {
    return (
      <Alert color="yellow" variant="light" title={t('workbench.chain.notExportTitle')}>
        {t('workbench.chain.notExport', { columns: table.data.columns.join(', ') })}
      </Alert>
    );
  }
  const unitName = /_([a-z]{3,5})$/i.exec(table.data.columns[columns.amount] ?? '')?.[1]?.toUpperCase() ?? '';
  return <ChainView graph={buildGraph(table.data, columns)} exhibitKey={exhibit.item.key} unitName={unitName} />;
}

function ChainView({ graph, exhibitKey, unitName }: { graph: ChainGraph; exhibitKey: string; unitName: string }) {
  const t = useT();
  const [source, setSource] = useState<string | null>(() => defaultSource(graph));
  const [selected, setSelected] = useState<string | null>(null);
  const [respectTime, setRespectTime] = useState(true);
  const amount = (units: number) => `${formatUnits(units)}${unitName ? ` ${unitName}` : ''}`;
  const follow = useMemo(() => (source ? followMoney(graph, source, { respectTime }) : null), [graph, source, respectTime]);
  const trail = useMemo(() => new Set(follow?.transfers ?? []), [follow]);
  const picture = useMemo(() => (source ? layout(graph, source) : null), [graph, source]);
  const addresses = useMemo(() => [...graph.nodes.values()].sort((a, b) => b.received + b.sent - (a.received + a.sent) || a.address.localeCompare(b.address)), [graph]);
  const labelOf = (address: string) => graph.nodes.get(address)?.label ?? null;
  const focus = selected ? graph.nodes.get(selected) : undefined;

  return (
    <Stack gap="md">
      <Card p="md">
        <Group gap="md" align="flex-end" wrap="wrap">
          <Select
            label={t('workbench.chain.source')}
            description={t('workbench.chain.sourceHint')}
            data={addresses.map((n) => ({ value: n.address, label: n.label ? `${n.address} · ${n.label}` : n.address }))}
            value={source}
            onChange={setSource}
            searchable
            allowDeselect={false}
            style={{ flex: '1 1 420px', minWidth: 0 }}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', direction: 'ltr' } }}
          />
          <Switch label={t('workbench.chain.respectTime')} description={t('workbench.chain.respectTimeHint')} checked={respectTime} onChange={(e) => setRespectTime(e.currentTarget.checked)} maw={340} />
        </Group>
        <Text size="xs" c="dimmed" mt="xs">
          {t('workbench.chain.stats', { addresses: graph.nodes.size, transfers: graph.transfers.length })}
          {graph.skipped > 0 ? ` · ${t('workbench.chain.skipped', { count: graph.skipped })}` : ''}
        </Text>
      </Card>

      {picture && picture.positions.size > maxDrawn ? (
        <Alert color="yellow" variant="light">
          {t('workbench.chain.tooLarge', { count: picture.positions.size })}
        </Alert>
      ) : picture && source ? (
        <Card p="md">
          <Title order={2} fz="md" mb={4}>
            {t('workbench.chain.graph')}
          </Title>
          <Text size="xs" c="dimmed" mb="sm">
            {t('workbench.chain.graphHint')}
            {picture.unconnected > 0 ? ` ${t('workbench.chain.unconnected', { count: picture.unconnected })}` : ''}
          </Text>
          <ScrollArea type="auto" dir="ltr">
            <svg width={picture.width + nodeWidth} height={picture.height + nodeHeight + 40} role="img" aria-label={t('workbench.chain.graphLabel', { source })} style={{ display: 'block', fontFamily: 'var(--mantine-font-family)' }}>
              <defs>
                <marker id="wb-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                  <path d="M0,0 L10,5 L0,10 z" fill="var(--mantine-color-gray-6)" />
                </marker>
                <marker id="wb-arrow-hot" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                  <path d="M0,0 L10,5 L0,10 z" fill="var(--mantine-color-orange-7)" />
                </marker>
              </defs>
              {graph.edges.map((e) => {
                const a = picture.positions.get(e.from);
                const b = picture.positions.get(e.to);
                if (!a || !b) return null;
                const hot = e.transfers.some((x) => trail.has(x));
                const stroke = hot ? 'var(--mantine-color-orange-7)' : 'var(--mantine-color-gray-5)';
                const title = e.transfers.map((x) => `${amount(x.amount)} · ${timeOf(x) ?? ''} · ${x.txid}`).join('\n');
                const text = `${amount(e.amount)}${e.transfers.length > 1 ? ` (${e.transfers.length})` : ''}`;
                if (e.from === e.to) {
                  const x = a.x + nodeWidth / 2;
                  const y = a.y;
                  return (
                    <g key={`${e.from}>${e.to}`}>
                      <path d={`M${x - 20},${y} C${x - 30},${y - 36} ${x + 30},${y - 36} ${x + 20},${y}`} fill="none" stroke={stroke} strokeDasharray="4 3" markerEnd={`url(#${hot ? 'wb-arrow-hot' : 'wb-arrow'})`} />
                      <text x={x} y={y - 30} textAnchor="middle" fontSize={10} fill="var(--mantine-color-gray-7)">
                        {t('workbench.chain.change')} {text}
                        <title>{title}</title>
                      </text>
                    </g>
                  );
                }
                const forward = b.x > a.x;
                const x1 = forward ? a.x + nodeWidth : a.x + nodeWidth / 2;
                const y1 = forward ? a.y + nodeHeight / 2 : a.y + nodeHeight;
                const x2 = forward ? b.x : b.x + nodeWidth / 2;
                const y2 = forward ? b.y + nodeHeight / 2 : b.y + nodeHeight;
                const bend = forward ? `C${x1 + 60},${y1} ${x2 - 60},${y2} ${x2},${y2}` : `C${x1},${y1 + 70} ${x2},${y2 + 70} ${x2},${y2}`;
                const mx = (x1 + x2) / 2;
                const my = forward ? (y1 + y2) / 2 - 6 : Math.max(y1, y2) + 48;
                return (
                  <g key={`${e.from}>${e.to}`}>
                    <path d={`M${x1},${y1} ${bend}`} fill="none" stroke={stroke} strokeWidth={hot ? 2.5 : 1.5} markerEnd={`url(#${hot ? 'wb-arrow-hot' : 'wb-arrow'})`}>
                      <title>{title}</title>
                    </path>
                    <text x={mx} y={my} textAnchor="middle" fontSize={11} fontWeight={hot ? 700 : 400} fill={hot ? 'var(--mantine-color-orange-9)' : 'var(--mantine-color-gray-7)'} style={{ paintOrder: 'stroke', stroke: 'white', strokeWidth: 3 }}>
                      {text}
                      <title>{title}</title>
                    </text>
                  </g>
                );
              })}
              {[...picture.positions].map(([address, p]) => {
                const isSource = address === source;
                const reached = follow?.destinations.some((d) => d.address === address) ?? false;
                const label = labelOf(address);
                return (
                  <g key={address} transform={`translate(${p.x},${p.y})`} onClick={() => setSelected(address)} style={{ cursor: 'pointer' }} role="button" tabIndex={0} aria-label={label ? `${address} (${label})` : address} onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && setSelected(address)}>
                    <rect width={nodeWidth} height={nodeHeight} rx={8} fill={isSource ? 'var(--mantine-color-navy-0, #e7ecf5)' : reached ? 'var(--mantine-color-orange-0)' : 'white'} stroke={address === selected ? 'var(--mantine-color-blue-6)' : isSource ? 'var(--mantine-color-navy-6, #2c4a7e)' : reached ? 'var(--mantine-color-orange-6)' : 'var(--mantine-color-gray-4)'} strokeWidth={address === selected || isSource ? 2.5 : 1.2} />
                    <text x={10} y={label ? 20 : 32} fontSize={12} fontFamily="var(--mantine-font-family-monospace)" fill="var(--mantine-color-dark-7)">
                      {short(address)}
                    </text>
                    {label ? (
                      <text x={10} y={38} fontSize={11} fill="var(--mantine-color-gray-7)">
                        {label.length > 32 ? `${label.slice(0, 31)}…` : label}
                      </text>
                    ) : null}
                    <title>{label ? `${address}\n${label}` : address}</title>
                  </g>
                );
              })}
            </svg>
          </ScrollArea>
        </Card>
      ) : null}

      {focus ? (
        <Card p="md" withBorder>
          <Group justify="space-between" wrap="wrap" gap="sm">
            <Stack gap={2} style={{ minWidth: 0 }}>
              <Group gap={4} wrap="nowrap">
                <Ltr mono fz="sm" fw={600} style={{ wordBreak: 'break-all' }}>
                  {focus.address}
                </Ltr>
                <AddButton size="xs" pick={{ value: focus.address, exhibit: exhibitKey, context: focus.label }} />
              </Group>
              {focus.label ? <Text size="sm">{focus.label}</Text> : null}
              <Text size="xs" c="dimmed">
                {t('workbench.chain.nodeStats', { received: amount(focus.received), sent: amount(focus.sent), in: focus.transfersIn, out: focus.transfersOut })}
              </Text>
            </Stack>
            <Button size="xs" leftSection={<IconFocus2 size={14} aria-hidden />} onClick={() => setSource(focus.address)} disabled={focus.address === source}>
              {t('workbench.chain.followFromHere')}
            </Button>
          </Group>
        </Card>
      ) : null}

      {follow && source ? (
        <Card p="md">
          <Title order={2} fz="md" mb="sm">
            {t('workbench.chain.follow')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 3 }} mb="md">
            <Stat label={t('workbench.chain.sentBySource')} value={amount(follow.sentBySource)} />
            <Stat label={t('workbench.chain.transfersOnTrail')} value={String(follow.transfers.length)} />
            <Stat label={t('workbench.chain.fees')} value={amount(follow.fees)} />
          </SimpleGrid>
          {follow.destinations.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('workbench.chain.nothingLeaves')}
            </Text>
          ) : (
            <>
              <Title order={3} fz="sm" mb="xs">
                {t('workbench.chain.destinations')}
              </Title>
              <Table.ScrollContainer minWidth={680}>
                <Table fz="sm" striped>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('workbench.chain.address')}</Table.Th>
                      <Table.Th>{t('workbench.chain.hops')}</Table.Th>
                      <Table.Th ta="end">{t('workbench.chain.received')}</Table.Th>
                      <Table.Th>{t('workbench.chain.firstAt')}</Table.Th>
                      <Table.Th />
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {follow.destinations.map((d) => (
                      <Table.Tr key={d.address}>
                        <Table.Td>
                          <UnstyledButton onClick={() => setSelected(d.address)}>
                            <Ltr mono fz="xs" style={{ wordBreak: 'break-all' }}>
                              {d.address}
                            </Ltr>
                          </UnstyledButton>
                          {labelOf(d.address) ? (
                            <Text size="xs" c="dimmed">
                              {labelOf(d.address)}
                            </Text>
                          ) : null}
                        </Table.Td>
                        <Table.Td>
                          <Group gap={4}>
                            {d.depth}
                            {d.final ? (
                              <Badge size="xs" color="orange" variant="light">
                                {t('workbench.chain.final')}
                              </Badge>
                            ) : null}
                          </Group>
                        </Table.Td>
                        <Table.Td ta="end">
                          <Ltr mono fz="xs">
                            {amount(d.received)}
                          </Ltr>
                        </Table.Td>
                        <Table.Td>
                          <Ltr mono fz="xs">
                            {Number.isFinite(d.firstTime) ? isoUtc(d.firstTime) : '—'}
                          </Ltr>
                        </Table.Td>
                        <Table.Td>
                          <AddButton size="xs" pick={{ value: d.address, exhibit: exhibitKey, context: labelOf(d.address), at: Number.isFinite(d.firstTime) ? isoUtc(d.firstTime) : null }} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              <Title order={3} fz="sm" mt="md" mb="xs">
                {t('workbench.chain.paths', { count: follow.paths.length })}
              </Title>
              {follow.pathsCapped ? (
                <Text size="xs" c="orange.8" mb="xs">
                  {t('workbench.chain.pathsCapped')}
                </Text>
              ) : null}
              <Stack gap={6}>
                {follow.paths.slice(0, 100).map((p, i) => (
                  <Box key={i} dir="ltr" style={{ textAlign: 'left' }}>
                    <Group gap={4} wrap="wrap" fz="xs">
                      <Ltr mono fz="xs" fw={600}>
                        {short(source)}
                      </Ltr>
                      {p.hops.map((h, j) => (
                        <Group key={j} gap={4} wrap="nowrap">
                          <Text span size="xs" c="orange.8">
                            —{amount(h.amount)}
                            {timeOf(h) ? ` @ ${timeOf(h)}` : ''}
                          </Text>
                          <IconArrowRight size={12} aria-hidden />
                          <Ltr mono fz="xs" fw={j === p.hops.length - 1 ? 700 : 400}>
                            {short(h.to)}
                            {labelOf(h.to) ? ` (${labelOf(h.to)})` : ''}
                          </Ltr>
                        </Group>
                      ))}
                      {p.cycle ? (
                        <Badge size="xs" color="grape" variant="light" leftSection={<IconRepeat size={10} aria-hidden />}>
                          {t('workbench.chain.cycle')}
                        </Badge>
                      ) : null}
                      {p.truncated ? (
                        <Badge size="xs" color="gray" variant="light">
                          {t('workbench.chain.truncated')}
                        </Badge>
                      ) : null}
                    </Group>
                  </Box>
                ))}
              </Stack>
            </>
          )}
        </Card>
      ) : null}

      <Card p="md">
        <Title order={2} fz="md" mb="sm">
          {t('workbench.chain.transfers')}
        </Title>
        <Table.ScrollContainer minWidth={900}>
          <Table fz="xs" striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('workbench.chain.time')}</Table.Th>
                <Table.Th>{t('workbench.chain.txid')}</Table.Th>
                <Table.Th>{t('workbench.chain.from')}</Table.Th>
                <Table.Th>{t('workbench.chain.to')}</Table.Th>
                <Table.Th ta="end">{t('workbench.chain.amount')}</Table.Th>
                <Table.Th ta="end">{t('workbench.chain.fee')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {graph.transfers.map((x) => (
                <Table.Tr key={x.row} bg={trail.has(x) ? 'var(--mantine-color-orange-0)' : undefined}>
                  <Table.Td>
                    <Ltr mono>{timeOf(x) ?? '—'}</Ltr>
                  </Table.Td>
                  <Table.Td>
                    <Ltr mono title={x.txid}>
                      {short(x.txid)}
                    </Ltr>
                  </Table.Td>
                  {[x.from, x.to].map((a, k) => (
                    <Table.Td key={k}>
                      <UnstyledButton onClick={() => setSelected(a)}>
                        <Ltr mono fz="xs" title={a}>
                          {short(a)}
                        </Ltr>
                      </UnstyledButton>
                      {labelOf(a) ? (
                        <Text size="xs" c="dimmed">
                          {labelOf(a)}
                        </Text>
                      ) : null}
                    </Table.Td>
                  ))}
                  <Table.Td ta="end">
                    <Ltr mono>{amount(x.amount)}</Ltr>
                  </Table.Td>
                  <Table.Td ta="end">
                    <Ltr mono>{formatUnits(x.fee)}</Ltr>
                  </Table.Td>
                  <Table.Td>
                    <AddButton size="xs" pick={{ value: x.txid, exhibit: exhibitKey, at: Number.isFinite(x.time) ? isoUtc(x.time) : null, context: t('workbench.chain.transferContext', { amount: amount(x.amount), from: x.from, to: x.to }) }} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </Stack>
  );
}

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Ltr mono fz="lg" fw={700}>
        {value}
      </Ltr>
    </Card>
  );
}
