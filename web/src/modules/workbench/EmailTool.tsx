import { useDeferredValue, useMemo, useState } from 'react';
import { Alert, Badge, Box, Card, Code, Group, ScrollArea, SegmentedControl, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconAlertTriangle, IconArrowDown, IconMapPin, IconPaperclip, IconSearch } from '@tabler/icons-react';
import { ErrorState } from '../../components/ErrorState.tsx';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { useFormatBytes } from '../scenarios/format.ts';
import { AddButton } from './AddToCaseFile.tsx';
import { parseEmail, type AuthResult, type Hop, type MailAnalysis, type MailWarning } from './email.ts';
import { hashBytes } from './hash.ts';
import { isoUtc, parseMailDate } from './net.ts';
import type { Exhibit } from './WorkbenchPanel.tsx';

/** The time a Received or Date header carries, to prefill a timeline event. */
function headerTime(name: string, value: string): string | null {
  const key = name.toLowerCase();
  const text = key === 'received' ? value.slice(value.lastIndexOf(';') + 1) : key === 'date' ? value : null;
  const ms = text ? parseMailDate(text) : NaN;
  return Number.isFinite(ms) ? isoUtc(ms) : null;
}

const resultColor = (result: string) => (result === 'pass' ? 'teal' : result === 'none' || result === 'neutral' ? 'gray' : result === 'softfail' ? 'orange' : 'red');

export function EmailTool({ exhibit }: { exhibit: Exhibit }) {
  const mail = useQuery({ queryKey: ['workbench-mail', exhibit.item.key, exhibit.item.sha256], queryFn: () => parseEmail(exhibit.bytes), staleTime: Infinity, gcTime: 60_000, retry: false });
  if (mail.isPending) return <LoadingState variant="table" />;
  if (mail.error) return <ErrorState error={mail.error} onRetry={() => void mail.refetch()} />;
  return <EmailView mail={mail.data} exhibitKey={exhibit.item.key} />;
}

function EmailView({ mail, exhibitKey }: { mail: MailAnalysis; exhibitKey: string }) {
  return (
    <Stack gap="md">
      <Summary mail={mail} exhibitKey={exhibitKey} />
      <RelayPath mail={mail} exhibitKey={exhibitKey} />
      <Authentication mail={mail} exhibitKey={exhibitKey} />
      <Body mail={mail} />
      <Attachments mail={mail} exhibitKey={exhibitKey} />
      <Headers mail={mail} exhibitKey={exhibitKey} />
    </Stack>
  );
}

function Value({ value, exhibitKey, context, at }: { value: string | null; exhibitKey: string; context: string; at?: string | null }) {
  if (!value) return <Text c="dimmed">—</Text>;
  return (
    <Group gap={4} wrap="nowrap" align="flex-start">
      <Ltr mono fz="sm" style={{ wordBreak: 'break-all' }}>
        {value}
      </Ltr>
      <AddButton size="xs" pick={{ value, exhibit: exhibitKey, context, at: at ?? null }} />
    </Group>
  );
}

function WarningText({ warning }: { warning: MailWarning }) {
  const t = useT();
  switch (warning.kind) {
    case 'replyToDiffers':
      return <>{t('workbench.mail.warn.replyTo', { from: warning.from, replyTo: warning.replyTo })}</>;
    case 'returnPathDomainDiffers':
      return <>{t('workbench.mail.warn.returnPath', { from: warning.from, returnPath: warning.returnPath })}</>;
    case 'authFailed':
      return <>{t('workbench.mail.warn.auth', { method: warning.method.toUpperCase(), result: warning.result })}</>;
    case 'dateAfterReceipt':
      return <>{t('workbench.mail.warn.date', { minutes: warning.minutes })}</>;
  }
}

function Summary({ mail, exhibitKey }: { mail: MailAnalysis; exhibitKey: string }) {
  const t = useT();
  const date = Number.isFinite(mail.date) ? isoUtc(mail.date) : null;
  const rows: Array<[string, string, string | null, string | null]> = [
    [t('workbench.mail.from'), 'From', mail.from, null],
    [t('workbench.mail.fromName'), 'From', mail.fromName, null],
    [t('workbench.mail.replyTo'), 'Reply-To', mail.replyTo, null],
    [t('workbench.mail.returnPath'), 'Return-Path', mail.returnPath, null],
    [t('workbench.mail.to'), 'To', mail.to.join(', ') || null, null],
    [t('workbench.mail.subject'), 'Subject', mail.subject, null],
    [t('workbench.mail.messageId'), 'Message-ID', mail.messageId, null],
    [t('workbench.mail.date'), 'Date', mail.dateText, date],
  ];
  return (
    <Card p="md">
      <Title order={2} fz="md" mb="sm">
        {t('workbench.mail.summary')}
      </Title>
      {mail.warnings.length > 0 ? (
        <Stack gap={6} mb="sm">
          {mail.warnings.map((w, i) => (
            <Alert key={i} color="orange" variant="light" icon={<IconAlertTriangle size={18} aria-hidden />} py={6}>
              <WarningText warning={w} />
            </Alert>
          ))}
        </Stack>
      ) : (
        <Text size="sm" c="dimmed" mb="sm">
          {t('workbench.mail.noWarnings')}
        </Text>
      )}
      <Table withRowBorders={false} fz="sm">
        <Table.Tbody>
          {rows.map(([label, header, value, at]) => (
            <Table.Tr key={label}>
              <Table.Th w={180} style={{ verticalAlign: 'top' }}>
                {label}
              </Table.Th>
              <Table.Td>
                <Value value={value} exhibitKey={exhibitKey} context={header} at={at} />
                {header === 'Date' && date ? (
                  <Text size="xs" c="dimmed">
                    {t('workbench.mail.utc')} <Ltr mono>{date}</Ltr>
                  </Text>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

function hopDelay(t: ReturnType<typeof useT>, hop: Hop) {
  if (hop.delaySeconds === null) return null;
  if (hop.delaySeconds < 0) return <Badge color="orange" variant="light">{t('workbench.mail.clockSkew', { seconds: hop.delaySeconds })}</Badge>;
  return <Text size="xs" c="dimmed">{hop.delaySeconds >= 120 ? t('workbench.mail.delayMinutes', { minutes: Math.round(hop.delaySeconds / 60) }) : t('workbench.mail.delay', { seconds: hop.delaySeconds })}</Text>;
}

function RelayPath({ mail, exhibitKey }: { mail: MailAnalysis; exhibitKey: string }) {
  const t = useT();
  if (mail.hops.length === 0) {
    return (
      <Card p="md">
        <Title order={2} fz="md" mb="xs">
          {t('workbench.mail.path')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('workbench.mail.noPath')}
        </Text>
      </Card>
    );
  }
  return (
    <Card p="md">
      <Title order={2} fz="md" mb={4}>
        {t('workbench.mail.path')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('workbench.mail.pathIntro')}
      </Text>
      <Stack gap={0}>
        {mail.hops.map((hop) => {
          const origin = hop.step === mail.originatingStep;
          const at = Number.isFinite(hop.time) ? isoUtc(hop.time) : null;
          return (
            <Box key={hop.step}>
              {hop.step > 1 ? (
                <Group gap="xs" py={4} ps="md">
                  <IconArrowDown size={16} color="var(--mantine-color-gray-5)" aria-hidden />
                  {hopDelay(t, hop)}
                </Group>
              ) : null}
              <Card withBorder p="sm" bg={origin ? 'var(--mantine-color-orange-0)' : undefined} style={origin ? { borderColor: 'var(--mantine-color-orange-5)' } : undefined}>
                <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
                  <Stack gap={4} style={{ flex: '1 1 320px', minWidth: 0 }}>
                    <Group gap="xs">
                      <Badge variant="filled" color={origin ? 'orange' : 'navy'} circle>
                        {hop.step}
                      </Badge>
                      {origin ? (
                        <Badge color="orange" variant="light" leftSection={<IconMapPin size={12} aria-hidden />}>
                          {t('workbench.mail.origin')}
                        </Badge>
                      ) : null}
                      {hop.with ? (
                        <Text size="xs" c="dimmed">
                          <Ltr mono>{hop.with}</Ltr>
                        </Text>
                      ) : null}
                    </Group>
                    <Group gap={6} wrap="wrap">
                      <Text size="sm" fw={600}>
                        {t('workbench.mail.hopFrom')}
                      </Text>
                      {hop.fromHelo ? (
                        <Tooltip label={t('workbench.mail.helo')}>
                          <Ltr mono fz="sm">
                            {hop.fromHelo}
                          </Ltr>
                        </Tooltip>
                      ) : (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      )}
                      {hop.fromHost && hop.fromHost !== hop.fromHelo ? (
                        <Tooltip label={t('workbench.mail.rdns')}>
                          <Ltr mono fz="sm" c="dimmed">
                            ({hop.fromHost})
                          </Ltr>
                        </Tooltip>
                      ) : null}
                      {hop.fromIp ? (
                        <Group gap={2} wrap="nowrap">
                          <Ltr mono fz="sm" fw={origin ? 700 : 500} c={origin ? 'orange.9' : undefined}>
                            [{hop.fromIp}]
                          </Ltr>
                          <AddButton size="xs" pick={{ value: hop.fromIp, exhibit: exhibitKey, at, context: t('workbench.mail.hopContext', { step: hop.step }) }} />
                        </Group>
                      ) : null}
                    </Group>
                    <Group gap={6} wrap="wrap">
                      <Text size="sm" fw={600}>
                        {t('workbench.mail.hopBy')}
                      </Text>
                      <Ltr mono fz="sm">
                        {hop.by ?? '—'}
                      </Ltr>
                      {hop.byIp ? (
                        <Ltr mono fz="sm" c="dimmed">
                          [{hop.byIp}]
                        </Ltr>
                      ) : null}
                    </Group>
                    {hop.authenticatedSender ? (
                      <Group gap={6}>
                        <Text size="xs">{t('workbench.mail.authenticatedSender')}</Text>
                        <Value value={hop.authenticatedSender} exhibitKey={exhibitKey} context={t('workbench.mail.hopContext', { step: hop.step })} at={at} />
                      </Group>
                    ) : null}
                    {hop.id || hop.for ? (
                      <Text size="xs" c="dimmed">
                        {hop.id ? (
                          <>
                            id <Ltr mono>{hop.id}</Ltr>{' '}
                          </>
                        ) : null}
                        {hop.for ? (
                          <>
                            {t('workbench.mail.for')} <Ltr mono>{hop.for}</Ltr>
                          </>
                        ) : null}
                      </Text>
                    ) : null}
                  </Stack>
                  <Stack gap={2} align="flex-end" style={{ flex: 'none' }}>
                    <Ltr mono fz="sm">
                      {at ?? '—'}
                    </Ltr>
                    {at ? <AddButton size="xs" pick={{ value: t('workbench.mail.hopEvent', { step: hop.step, from: hop.fromIp ?? hop.fromHelo ?? '?', by: hop.by ?? '?' }), exhibit: exhibitKey, at }} /> : null}
                  </Stack>
                </Group>
              </Card>
            </Box>
          );
        })}
      </Stack>
    </Card>
  );
}

function Authentication({ mail, exhibitKey }: { mail: MailAnalysis; exhibitKey: string }) {
  const t = useT();
  const label = (a: AuthResult) => (a.source === 'received-spf' ? 'Received-SPF' : `Authentication-Results${a.authServId ? ` (${a.authServId})` : ''}`);
  return (
    <Card p="md">
      <Title order={2} fz="md" mb="sm">
        {t('workbench.mail.auth')}
      </Title>
      {mail.auth.length === 0 && mail.dkimSignatures.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('workbench.mail.noAuth')}
        </Text>
      ) : (
        <Stack gap="sm">
          <Table.ScrollContainer minWidth={560}>
            <Table fz="sm" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('workbench.mail.method')}</Table.Th>
                  <Table.Th>{t('workbench.mail.result')}</Table.Th>
                  <Table.Th>{t('workbench.mail.details')}</Table.Th>
                  <Table.Th>{t('workbench.mail.source')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {mail.auth.map((a, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>
                      <Text fw={600} size="sm" tt="uppercase">
                        {a.method}
                      </Text>
                    </Table.Td>
                    <Table.Td miw={100}>
                      <Badge color={resultColor(a.result)} variant="light" style={{ overflow: 'visible' }}>
                        {a.result}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={2}>
                        {a.properties.map(([k, v]) => (
                          <Group key={k} gap={4} wrap="nowrap">
                            <Ltr mono fz="xs" c="dimmed">
                              {k}=
                            </Ltr>
                            <Ltr mono fz="xs" style={{ wordBreak: 'break-all' }}>
                              {v}
                            </Ltr>
                            {/(ip|from|mailfrom|helo|header\.d|header\.i)$/.test(k) ? <AddButton size="xs" pick={{ value: v, exhibit: exhibitKey, context: `${a.method} ${k}` }} /> : null}
                          </Group>
                        ))}
                        {a.comment ? (
                          <Ltr fz="xs" c="dimmed">
                            ({a.comment})
                          </Ltr>
                        ) : null}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Ltr mono fz="xs">
                        {label(a)}
                      </Ltr>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {mail.dkimSignatures.map((d, i) => (
            <Text key={i} size="sm">
              {t('workbench.mail.dkimSignature')} <Ltr mono>d={d.domain ?? '?'}</Ltr> · <Ltr mono>s={d.selector ?? '?'}</Ltr> · <Ltr mono>a={d.algorithm ?? '?'}</Ltr>
            </Text>
          ))}
        </Stack>
      )}
    </Card>
  );
}

function Body({ mail }: { mail: MailAnalysis }) {
  const t = useT();
  const [part, setPart] = useState<'text' | 'html'>(mail.text ? 'text' : 'html');
  const content = part === 'text' ? mail.text : mail.html;
  return (
    <Card p="md">
      <Group justify="space-between" mb="sm">
        <Title order={2} fz="md">
          {t('workbench.mail.body')}
        </Title>
        {mail.text && mail.html ? (
          <SegmentedControl
            size="xs"
            value={part}
            onChange={(v) => setPart(v as 'text' | 'html')}
            data={[
              { value: 'text', label: t('workbench.mail.bodyText') },
              { value: 'html', label: t('workbench.mail.bodyHtml') },
            ]}
          />
        ) : null}
      </Group>
      {part === 'html' ? (
        <Text size="xs" c="dimmed" mb="xs">
          {t('workbench.mail.htmlAsText')}
        </Text>
      ) : null}
      {content ? (
        <ScrollArea.Autosize mah={420}>
          <Ltr block>
            <Code block fz="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
              {content}
            </Code>
          </Ltr>
        </ScrollArea.Autosize>
      ) : (
        <Text size="sm" c="dimmed">
          {t('workbench.mail.noBody')}
        </Text>
      )}
    </Card>
  );
}

function Attachments({ mail, exhibitKey }: { mail: MailAnalysis; exhibitKey: string }) {
  const t = useT();
  const formatBytes = useFormatBytes();
  const hashed = useMemo(() => mail.attachments.map((a) => ({ ...a, digests: hashBytes(a.content) })), [mail.attachments]);
  return (
    <Card p="md">
      <Title order={2} fz="md" mb="sm">
        {t('workbench.mail.attachments', { count: mail.attachments.length })}
      </Title>
      {hashed.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('workbench.mail.noAttachments')}
        </Text>
      ) : (
        <Stack gap="sm">
          {hashed.map((a, i) => (
            <Card key={i} withBorder p="sm">
              <Group gap="xs" mb={4}>
                <IconPaperclip size={16} aria-hidden />
                <Ltr mono fz="sm" fw={600}>
                  {a.fileName ?? t('workbench.mail.unnamed')}
                </Ltr>
                <Text size="xs" c="dimmed">
                  <Ltr mono>{a.mediaType}</Ltr> · {formatBytes(a.size)}
                </Text>
                {a.fileName ? <AddButton size="xs" pick={{ value: a.fileName, exhibit: exhibitKey, context: t('workbench.mail.attachment') }} /> : null}
              </Group>
              {(['sha256', 'md5'] as const).map((alg) => (
                <Group key={alg} gap={6} wrap="nowrap">
                  <Text size="xs" fw={700} c="dimmed" w={60} style={{ flex: 'none' }}>
                    {alg === 'sha256' ? 'SHA-256' : 'MD5'}
                  </Text>
                  <Ltr mono fz="xs" style={{ wordBreak: 'break-all' }}>
                    {a.digests[alg]}
                  </Ltr>
                  <AddButton size="xs" pick={{ value: a.digests[alg], exhibit: exhibitKey, context: `${a.fileName ?? ''} ${alg === 'sha256' ? 'SHA-256' : 'MD5'}`.trim() }} />
                </Group>
              ))}
            </Card>
          ))}
        </Stack>
      )}
    </Card>
  );
}

function Headers({ mail, exhibitKey }: { mail: MailAnalysis; exhibitKey: string }) {
  const t = useT();
  const [search, setSearch] = useState('');
  const deferred = useDeferredValue(search.trim().toLowerCase());
  const rows = useMemo(() => (deferred ? mail.headers.filter((h) => h.name.toLowerCase().includes(deferred) || h.value.toLowerCase().includes(deferred)) : mail.headers), [mail.headers, deferred]);
  return (
    <Card p="md">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={2} fz="md">
          {t('workbench.mail.headers', { count: mail.headers.length })}
        </Title>
        <TextInput type="search" size="xs" w={280} leftSection={<IconSearch size={14} aria-hidden />} placeholder={t('workbench.mail.searchHeaders')} aria-label={t('workbench.mail.searchHeaders')} value={search} onChange={(e) => setSearch(e.currentTarget.value)} />
      </Group>
      <Table.ScrollContainer minWidth={600}>
        <Table fz="xs" striped highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={40}>#</Table.Th>
              <Table.Th w={220}>{t('workbench.mail.headerName')}</Table.Th>
              <Table.Th>{t('workbench.mail.headerValue')}</Table.Th>
              <Table.Th w={40} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((h) => (
              <Table.Tr key={h.index}>
                <Table.Td c="dimmed">{h.index + 1}</Table.Td>
                <Table.Td>
                  <Ltr mono fw={600}>
                    {h.name}
                  </Ltr>
                </Table.Td>
                <Table.Td>
                  <Ltr block mono style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
                    {h.value}
                  </Ltr>
                </Table.Td>
                <Table.Td>
                  <AddButton size="xs" pick={{ value: h.value.slice(0, 500), exhibit: exhibitKey, context: h.name, at: headerTime(h.name, h.value) }} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed" ta="center" mt="sm">
          {t('workbench.mail.noHeaderMatch')}
        </Text>
      ) : null}
    </Card>
  );
}
