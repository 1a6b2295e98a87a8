import { useState } from 'react';
import { ActionIcon, Stack, Text, useDirection } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconFiles, IconTrash } from '@tabler/icons-react';
import type { DataTableColumn } from 'mantine-datatable';
import type { AgreementDocument } from '@modules/partners/schemas.ts';
import { api, seg } from '../../core/api.ts';
import { useNotify } from '../../core/notify.tsx';
import { DataTable } from '../../core/table/DataTable.tsx';
import { ConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { DateTime } from '../../components/DateTime.tsx';
import { useT } from '../../i18n/useT.ts';
import { FileLink, UploadButton } from './files.tsx';
import { partnersKey } from './labels.tsx';

export const documentsKey = (agreementId: string) => [...partnersKey, 'documents', agreementId] as const;
const base = (agreementId: string) => `/api/partner-agreements/${seg(agreementId)}/documents`;

/**
 * The documents of one agreement. Administrators add and remove them; the
 * partner's analysts read and download them.
 */
export function AgreementDocuments({ agreementId, manage }: { agreementId: string; manage: boolean }) {
  const t = useT();
  const client = useQueryClient();
  const notify = useNotify();
  const { dir } = useDirection();
  const [removing, setRemoving] = useState<AgreementDocument | null>(null);
  const list = useQuery({
    queryKey: documentsKey(agreementId),
    queryFn: ({ signal }) => api.get<{ items: AgreementDocument[] }>(base(agreementId), { signal }),
    select: (d) => d.items,
  });
  const remove = useMutation({
    mutationFn: (d: AgreementDocument) => api.delete(`${base(agreementId)}/${seg(d.id)}`),
    onSuccess: (_r, d) => {
      void client.invalidateQueries({ queryKey: documentsKey(agreementId) });
      notify.success(t('partners.documents.removed', { name: d.fileName }));
      setRemoving(null);
    },
    onError: (e) => {
      notify.error(e);
      setRemoving(null);
    },
  });

  const columns: DataTableColumn<AgreementDocument>[] = [
    { accessor: 'fileName', title: t('partners.documents.col.file'), render: (d) => <FileLink href={`${base(agreementId)}/${seg(d.id)}/content`} {...d} /> },
    {
      accessor: 'uploadedAt',
      title: t('partners.documents.col.added'),
      render: (d) => (
        <Stack gap={0}>
          <Text size="sm">
            <DateTime value={d.uploadedAt} />
          </Text>
          <Text size="xs" c="dimmed">
            <bdi>{d.uploadedByName}</bdi>
          </Text>
        </Stack>
      ),
    },
  ];
  if (manage) {
    columns.push({
      accessor: 'actions',
      title: <span className="visually-hidden">{t('partners.col.actions')}</span>,
      textAlign: dir === 'rtl' ? 'left' : 'right',
      render: (d) => (
        <ActionIcon variant="subtle" color="red" onClick={() => setRemoving(d)} aria-label={t('partners.documents.remove', { name: d.fileName })}>
          <IconTrash size={18} aria-hidden />
        </ActionIcon>
      ),
    });
  }

  return (
    <Stack gap="sm">
      {manage ? (
        <UploadButton<AgreementDocument>
          path={base(agreementId)}
          label={t('partners.documents.upload')}
          onUploaded={(d) => {
            void client.invalidateQueries({ queryKey: documentsKey(agreementId) });
            notify.success(t('partners.documents.added', { name: d.fileName }));
          }}
        />
      ) : null}
      <DataTable<AgreementDocument>
        label={t('partners.documents.title')}
        columns={columns}
        query={list}
        empty={{ icon: <IconFiles aria-hidden />, title: t('partners.documents.empty.title'), description: manage ? t('partners.documents.empty.admin') : t('partners.documents.empty.partner') }}
      />
      <ConfirmDialog
        opened={removing !== null}
        title={t('partners.documents.removeTitle')}
        message={removing ? t('partners.documents.removeConfirm', { name: removing.fileName }) : ''}
        confirmLabel={t('partners.documents.removeAction')}
        danger
        loading={remove.isPending}
        onConfirm={() => removing && remove.mutate(removing)}
        onCancel={() => setRemoving(null)}
      />
    </Stack>
  );
}
