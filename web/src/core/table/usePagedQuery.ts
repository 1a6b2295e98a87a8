import { keepPreviousData, useQuery, type QueryKey } from '@tanstack/react-query';
import { api } from '../api.ts';
import type { TableController } from './useTableState.ts';

/** The answer of every paged list endpoint (`paged()` in src/modules/shared-schemas.ts). */
export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

/**
 * A page of a server-side list, for the table's current URL state. Keeps the
 * previous page on screen while the next one loads.
 *
 *   const users = usePagedQuery<UserSummary>(['users'], '/api/users', table);
 *   <DataTable table={table} query={users} columns={…} />
 */
export function usePagedQuery<T>(key: QueryKey, path: string, table: Pick<TableController, 'query'>, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: [...key, table.query],
    queryFn: ({ signal }) => api.get<Page<T>>(path, { query: table.query, signal }),
    placeholderData: keepPreviousData,
    ...options,
  });
}
