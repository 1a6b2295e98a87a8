/**
 * The app's one table: mantine-datatable with our loading, empty and error
 * states, translated pagination, and page/sort kept in the URL (useTableState).
 *
 * Server-side lists (paged API):
 *   const table = useTableState({ defaultSort: '-createdAt', filters: ['search'] as const });
 *   const page = usePagedQuery<Item>(['items'], '/api/items', table);
 *   <DataTable table={table} query={page} columns={columns} empty={{ title: t('…') }} />
 *
 * Whole lists (the API returns an array): pass `records` (or a query whose data is
 * an array); sorting and paging then happen in the browser, still URL-synced.
 */
import { useMemo, type ReactNode } from 'react';
import { DataTable as MantineDataTable, type DataTableColumn, type DataTableProps } from 'mantine-datatable';
import { Stack } from '@mantine/core';
import { IconDatabaseOff } from '@tabler/icons-react';
import { FormattedMessage, FormattedNumber, useIntl } from 'react-intl';
import { useT } from '../../i18n/useT.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorState } from '../../components/ErrorState.tsx';
import { pageSizeOptions, sortAndPage } from './table-state.ts';
import type { TableController } from './useTableState.ts';
import type { Page } from './usePagedQuery.ts';

type QueryLike<T> = {
  data: Page<T> | T[] | undefined;
  isPending: boolean;
  isFetching: boolean;
  error: unknown;
  refetch: () => unknown;
};

export type AppDataTableProps<T> = {
  columns: DataTableColumn<T>[];
  /** URL-synced page/sort/filters (useTableState); without it the table shows every record, unsorted. */
  table?: Pick<TableController, 'page' | 'pageSize' | 'sort' | 'sortStatus' | 'setPage' | 'setPageSize' | 'setSort'>;
  /** A TanStack query returning a Page<T> (server-side) or T[] (client-side). */
  query?: QueryLike<T>;
  /** Or the records directly (client-side). */
  records?: T[];
  /** What to say when there is nothing to show. */
  empty: { title: ReactNode; description?: ReactNode; action?: ReactNode; icon?: ReactNode };
  /** Accessible name of the table. */
  label: string;
  idAccessor?: DataTableProps<T>['idAccessor'];
  /** Extra props for mantine-datatable (row expansion, row click, …). */
  tableProps?: Partial<Omit<DataTableProps<T>, 'columns' | 'records' | 'page' | 'onPageChange' | 'sortStatus' | 'onSortStatusChange' | 'totalRecords' | 'recordsPerPage' | 'idAccessor' | 'emptyState' | 'noRecordsIcon' | 'onRecordsPerPageChange' | 'recordsPerPageOptions' | 'recordsPerPageLabel'>>;
};

export function DataTable<T>({ columns, table, query, records: given, empty, label, idAccessor, tableProps }: AppDataTableProps<T>) {
  const t = useT();
  const intl = useIntl();
  const collator = useMemo(() => new Intl.Collator(intl.locale, { sensitivity: 'base', numeric: true }), [intl.locale]);

  const data = query?.data;
  const serverPage = data && !Array.isArray(data) ? data : undefined;
  const all = Array.isArray(data) ? data : given;

  const { records, total } = useMemo(() => {
    if (serverPage) return { records: serverPage.items, total: serverPage.total };
    const list = all ?? [];
    if (!table) return { records: list, total: list.length };
    return { records: sortAndPage(list, table, collator), total: list.length };
  }, [serverPage, all, table, collator]);

  const loading = query ? query.isPending : false;
  const error = query?.error;

  if (error && !data) {
    return <ErrorState error={error} onRetry={() => void query?.refetch()} />;
  }

  // Paged lists always show where the reader is; short whole lists need no footer.
  const showPagination = Boolean(table && (serverPage || total > table.pageSize || table.page > 1));
  const pagination =
    table && showPagination
      ? {
          page: table.page,
          onPageChange: table.setPage,
          totalRecords: total,
          recordsPerPage: table.pageSize,
          recordsPerPageOptions: [...pageSizeOptions],
          onRecordsPerPageChange: table.setPageSize,
          recordsPerPageLabel: t('common.table.perPage'),
          paginationText: ({ from, to, totalRecords }: { from: number; to: number; totalRecords: number }) => (
            <FormattedMessage
              id="common.table.range"
              values={{ from: <FormattedNumber value={from} />, to: <FormattedNumber value={to} />, total: <FormattedNumber value={totalRecords} /> }}
            />
          ),
          getPaginationControlProps: (control: 'first' | 'last' | 'previous' | 'next') => ({ 'aria-label': t(`common.table.${control}`) }),
          getPaginationItemProps: (page: number) => ({ 'aria-label': t('common.table.page', { page }) }),
        }
      : {};

  const sorting = table
    ? {
        sortStatus: (table.sortStatus ?? { columnAccessor: '', direction: 'asc' }) as never,
        onSortStatusChange: (s: { columnAccessor: unknown; direction: 'asc' | 'desc' }) => table.setSort({ column: String(s.columnAccessor), direction: s.direction }),
      }
    : {};

  return (
    <Stack gap="xs">
      <MantineDataTable<T>
        aria-label={label}
        withTableBorder
        borderRadius="md"
        highlightOnHover
        verticalSpacing="sm"
        horizontalSpacing="md"
        minHeight={records.length === 0 ? 260 : undefined}
        fetching={loading || (query?.isFetching ?? false)}
        loaderType="dots"
        columns={columns}
        records={records}
        {...(idAccessor ? { idAccessor } : {})}
        // mantine-datatable renders its empty state (invisible) even above rows; our
        // EmptyState takes pointer events for its action, so it is given only when empty.
        emptyState={
          loading || records.length > 0 ? (
            <span />
          ) : (
            <EmptyState title={empty.title} description={empty.description} action={empty.action} icon={empty.icon ?? <IconDatabaseOff aria-hidden />} />
          )
        }
        {...(pagination as object)}
        {...(sorting as object)}
        {...(tableProps as object)}
      />
    </Stack>
  );
}
