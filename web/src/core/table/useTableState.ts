import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { DataTableSortStatus } from 'mantine-datatable';
import { readTableState, toApiQuery, writeTableState, type Sort, type TableChange, type TableOptions, type TableState } from './table-state.ts';

export type TableController<F extends string = string> = TableState<F> & {
  options: TableOptions<F>;
  /** Parameters for the API: `{ page, pageSize, sort, ...filters }`. */
  query: Record<string, string | number>;
  setPage: (page: number) => void;
  setPageSize: (pageSize: number) => void;
  setSort: (sort: Sort | null) => void;
  setFilter: (name: F, value: string | null | undefined) => void;
  setFilters: (filters: Partial<Record<F, string | null | undefined>>) => void;
  /** Back to the defaults (clears page, sort and filters from the URL). */
  reset: () => void;
  /** Sort in mantine-datatable's shape. */
  sortStatus: DataTableSortStatus<Record<string, unknown>> | undefined;
};

/**
 * Page, page size, sort and filters of a list, kept in the URL query string.
 *
 *   const table = useTableState({ defaultSort: 'displayName', filters: ['search', 'role'] as const });
 *   const users = usePagedQuery<UserSummary>(['users'], '/api/users', table);
 */
export function useTableState<const F extends string = never>(options: TableOptions<F> = {}): TableController<F> {
  const [params, setParams] = useSearchParams();
  // Options are written inline by callers: key them by content, not identity.
  const optionsKey = JSON.stringify(options);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stable = useMemo(() => options, [optionsKey]);
  const state = useMemo(() => readTableState(params, stable), [params, stable]);

  const change = useCallback(
    (c: TableChange<F>) => setParams((prev) => writeTableState(prev, c, stable), { replace: c.page === undefined }),
    [setParams, stable],
  );

  return useMemo(() => {
    const reset = () =>
      setParams((prev) => {
        const next = new URLSearchParams(prev);
        const prefix = stable.prefix ? `${stable.prefix}.` : '';
        for (const name of ['page', 'pageSize', 'sort', ...(stable.filters ?? [])]) next.delete(prefix + name);
        return next;
      });
    return {
      ...state,
      options: stable,
      query: toApiQuery(state),
      setPage: (page) => change({ page }),
      setPageSize: (pageSize) => change({ pageSize }),
      setSort: (sort) => change({ sort }),
      setFilter: (name, value) => change({ filters: { [name]: value } as Partial<Record<F, string | null | undefined>> }),
      setFilters: (filters) => change({ filters }),
      reset,
      sortStatus: state.sort ? { columnAccessor: state.sort.column, direction: state.sort.direction } : undefined,
    };
  }, [change, setParams, stable, state]);
}

/**
 * Props that bind a clearable Select to one URL filter of a table:
 *   <Select label={…} data={…} {...filterSelectProps(table, 'status', t('users.filter.clearStatus'))} />
 */
export function filterSelectProps<F extends string>(table: TableController<F>, name: F, clearLabel: string) {
  return {
    value: table.filters[name] ?? null,
    onChange: (value: string | null) => table.setFilter(name, value),
    clearable: true,
    clearButtonProps: { 'aria-label': clearLabel },
  };
}
