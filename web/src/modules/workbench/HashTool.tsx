import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ActionIcon, Badge, Box, Button, Card, CopyButton, Group, Progress, Stack, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy, IconFingerprint, IconTrash, IconUpload, IconX } from '@tabler/icons-react';
import { LoadingState } from '../../components/LoadingState.tsx';
import { Ltr } from '../../components/Ltr.tsx';
import { useT } from '../../i18n/useT.ts';
import { useFormatBytes } from '../scenarios/format.ts';
import { AddButton } from './AddToCaseFile.tsx';
import { algorithms, compareHash, hashBlob, type Algorithm, type Digests } from './hash.ts';
import type { Exhibit } from './WorkbenchPanel.tsx';

const algorithmLabel: Record<Algorithm, string> = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256' };

type Entry = { id: number; file: File; done: number; digests: Digests | null; error: boolean; controller: AbortController };

/** Hashes of files the investigator drops in (they never leave the browser), and of the exhibit on screen. */
export function HashTool({ exhibit }: { exhibit: Exhibit | null }) {
  const t = useT();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const nextId = useRef(1);
  const entriesRef = useRef(entries);
  entriesRef.current = entries;

  useEffect(() => () => entriesRef.current.forEach((e) => e.controller.abort()), []);

  const add = (files: FileList | null) => {
    if (!files) return;
    for (const file of Array.from(files)) {
      const entry: Entry = { id: nextId.current++, file, done: 0, digests: null, error: false, controller: new AbortController() };
      setEntries((list) => [...list, entry]);
      const update = (changes: Partial<Entry>) => setEntries((list) => list.map((e) => (e.id === entry.id ? { ...e, ...changes } : e)));
      hashBlob(file, (done) => update({ done }), entry.controller.signal).then(
        (digests) => update({ digests, done: file.size }),
        (error: unknown) => {
          if (!(error instanceof DOMException && error.name === 'AbortError')) update({ error: true });
        },
      );
    }
  };
  const remove = (id: number) =>
    setEntries((list) => {
      list.find((e) => e.id === id)?.controller.abort();
      return list.filter((e) => e.id !== id);
    });

  return (
    <Stack gap="md">
      {exhibit && !exhibit.partial ? <ExhibitHashes exhibit={exhibit} /> : null}
      <Card p="md">
        <Title order={2} fz="md" mb={4}>
          {t('workbench.hash.title')}
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          {t('workbench.hash.intro')}
        </Text>
        <Box
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            add(e.dataTransfer.files);
          }}
          p="xl"
          style={{ border: `2px dashed var(--mantine-color-${dragging ? 'blue-5' : 'gray-4'})`, borderRadius: 'var(--mantine-radius-md)', textAlign: 'center', background: dragging ? 'var(--mantine-color-blue-0)' : undefined }}
        >
          <Stack gap="xs" align="center">
            <IconFingerprint size={36} color="var(--mantine-color-gray-6)" aria-hidden />
            <Text size="sm">{t('workbench.hash.drop')}</Text>
            <Button variant="light" leftSection={<IconUpload size={16} aria-hidden />} onClick={() => input.current?.click()}>
              {t('workbench.hash.choose')}
            </Button>
            <input
              ref={input}
              type="file"
              multiple
              hidden
              onChange={(e) => {
                add(e.currentTarget.files);
                e.currentTarget.value = '';
              }}
            />
          </Stack>
        </Box>
      </Card>
      {entries.map((e) => (
        <FileHashes key={e.id} entry={e} onRemove={() => remove(e.id)} />
      ))}
    </Stack>
  );
}

function ExhibitHashes({ exhibit }: { exhibit: Exhibit }) {
  const t = useT();
  const hashed = useQuery({ queryKey: ['workbench-hash', exhibit.item.key, exhibit.item.sha256], queryFn: ({ signal }) => hashBlob(new Blob([exhibit.bytes as Uint8Array<ArrayBuffer>]), undefined, signal), staleTime: Infinity, gcTime: 60_000 });
  const digests = hashed.data;
  if (!digests) return <LoadingState variant="table" rows={2} />;
  const matches = digests.sha256 === exhibit.item.sha256.toLowerCase();
  return (
    <Card p="md">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} fz="md">
          {t('workbench.hash.exhibit')} <Ltr mono>{exhibit.item.fileName}</Ltr>
        </Title>
        <Badge color={matches ? 'teal' : 'red'} variant="light" leftSection={matches ? <IconCheck size={12} aria-hidden /> : <IconX size={12} aria-hidden />}>
          {matches ? t('workbench.hash.lockerMatch') : t('workbench.hash.lockerMismatch')}
        </Badge>
      </Group>
      <DigestList digests={digests} exhibitKey={exhibit.item.key} context={exhibit.item.fileName} />
    </Card>
  );
}

function FileHashes({ entry, onRemove }: { entry: Entry; onRemove: () => void }) {
  const t = useT();
  const formatBytes = useFormatBytes();
  const percent = entry.file.size === 0 ? 100 : Math.round((entry.done / entry.file.size) * 100);
  return (
    <Card p="md" withBorder>
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Group gap="xs" style={{ minWidth: 0 }}>
          <Ltr mono fw={600} fz="sm" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
            {entry.file.name}
          </Ltr>
          <Text size="xs" c="dimmed">
            {formatBytes(entry.file.size)}
          </Text>
        </Group>
        <Tooltip label={t('workbench.hash.remove')}>
          <ActionIcon variant="subtle" color="gray" onClick={onRemove} aria-label={t('workbench.hash.removeNamed', { file: entry.file.name })}>
            <IconTrash size={16} aria-hidden />
          </ActionIcon>
        </Tooltip>
      </Group>
      {entry.error ? (
        <Text c="red" size="sm">
          {t('workbench.hash.failed')}
        </Text>
      ) : entry.digests ? (
        <DigestList digests={entry.digests} exhibitKey={null} context={entry.file.name} />
      ) : (
        <Stack gap={4}>
          <Progress value={percent} animated aria-label={t('workbench.hash.progress', { file: entry.file.name })} />
          <Text size="xs" c="dimmed">
            {t('workbench.hash.computing', { percent })}
          </Text>
        </Stack>
      )}
    </Card>
  );
}

function DigestList({ digests, exhibitKey, context }: { digests: Digests; exhibitKey: string | null; context: string }) {
  const t = useT();
  const [pasted, setPasted] = useState('');
  const verdict = pasted.trim() ? compareHash(digests, pasted) : null;
  return (
    <Stack gap={6}>
      {algorithms.map((alg) => (
        <Group key={alg} gap="xs" wrap="nowrap" bg={verdict && verdict.result !== 'invalid' && verdict.algorithm === alg ? (verdict.result === 'match' ? 'var(--mantine-color-teal-0)' : 'var(--mantine-color-red-0)') : undefined}>
          <Text size="xs" fw={700} c="dimmed" w={64} style={{ flex: 'none' }}>
            {algorithmLabel[alg]}
          </Text>
          <Ltr mono fz="xs" style={{ wordBreak: 'break-all', flex: 1 }}>
            {digests[alg]}
          </Ltr>
          <CopyButton value={digests[alg]} timeout={2000}>
            {({ copied, copy }) => (
              <ActionIcon size="sm" variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={t('common.action.copyLabel', { what: `${algorithmLabel[alg]} ${context}` })}>
                {copied ? <IconCheck size={14} aria-hidden /> : <IconCopy size={14} aria-hidden />}
              </ActionIcon>
            )}
          </CopyButton>
          <AddButton size="xs" pick={{ value: digests[alg], exhibit: exhibitKey, context: `${context} ${algorithmLabel[alg]}` }} />
        </Group>
      ))}
      <TextInput
        size="xs"
        label={t('workbench.hash.compare')}
        placeholder={t('workbench.hash.comparePlaceholder')}
        value={pasted}
        onChange={(e) => setPasted(e.currentTarget.value)}
        dir="ltr"
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        description={
          verdict ? (
            verdict.result === 'match' ? (
              <Text span size="xs" c="teal.8" fw={600}>
                {t('workbench.hash.match', { algorithm: algorithmLabel[verdict.algorithm] })}
              </Text>
            ) : verdict.result === 'mismatch' ? (
              <Text span size="xs" c="red.8" fw={600}>
                {t('workbench.hash.mismatch', { algorithm: algorithmLabel[verdict.algorithm] })}
              </Text>
            ) : (
              <Text span size="xs" c="orange.8">
                {t('workbench.hash.invalid')}
              </Text>
            )
          ) : undefined
        }
        aria-live="polite"
      />
    </Stack>
  );
}
