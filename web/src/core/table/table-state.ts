/**
 * The state of a list view (page, page size, sort, filters) kept in the URL
 * query string, so a view can be bookmarked, shared and restored with Back.
 * Pure functions; the React side is useTableState.
 *
 * Sort uses the API's form: `createdAt` ascending, `-createdAt` descending.
 */

export type SortDirection = 'asc' | 'desc';
export type Sort = { column: string; direction: SortDirection };

export const pageSizeOptions = [10, 25, 50, 100] as const;

export type TableOptions<F extends string = string> = {
  /** Default sort in the API's form (`-createdAt`); used when the URL has none. */
  defaultSort?: string;
  defaultPageSize?: number;
  /** Names of the filters this view keeps in the URL (`search`, `role`, …). */
  filters?: readonly F[];
  /** Prefix for the URL parameters, when two tables share a page (`tokens.page`). */
  prefix?: string;
};

export type TableState<F extends string = string> = {
  page: number;
  pageSize: number;
  sort: Sort | null;
  filters: Partial<Record<F, string>>;
};

export function parseSort(value: string | null | undefined): Sort | null {
  if (!value) return null;
  const desc = value.startsWith('-');
  const column = desc ? value.slice(1) : value;
  if (!/^[A-Za-z][\w.]*$/.test(column)) return null;
  return { column, direction: desc ? 'desc' : 'asc' };
}

export const formatSort = (sort: Sort | null): string | undefined => (sort ? `${sort.direction === 'desc' ? '-' : ''}${sort.column}` : undefined);

const key = (options: TableOptions<string>, name: string) => (options.prefix ? `${options.prefix}.${name}` : name);

function positiveInt(value: string | null): number | null {
  if (!value || !/^\d{1,6}$/.test(value)) return null;
  const n = Number(value);
  return n >= 1 ? n : null;
}

export function readTableState<F extends string>(params: URLSearchParams, options: TableOptions<F>): TableState<F> {
  const defaultPageSize = options.defaultPageSize ?? 25;
  const size = positiveInt(params.get(key(options, 'pageSize')));
  const filters: Partial<Record<F, string>> = {};
  for (const name of options.filters ?? []) {
    const v = params.get(key(options, name));
    if (v !== null && v !== '') filters[name] = v;
  }
  return {
    page: positiveInt(params.get(key(options, 'page'))) ?? 1,
    pageSize: size && (pageSizeOptions as readonly number[]).includes(size) ? size : defaultPageSize,
    sort: parseSort(params.get(key(options, 'sort'))) ?? parseSort(options.defaultSort),
    filters,
  };
}

export type TableChange<F extends string> = Partial<{
  page: number;
  pageSize: number;
  sort: Sort | null;
  filters: Partial<Record<F, string | undefined | null>>;
}>;

/**
 * The URL parameters after a change. Values equal to the defaults are left out
 * to keep URLs short; a change of size, sort or filters goes back to page 1.
 */
export function writeTableState<F extends string>(params: URLSearchParams, change: TableChange<F>, options: TableOptions<F>): URLSearchParams {
  const next = new URLSearchParams(params);
  const set = (name: string, value: string | undefined) => {
    if (value === undefined || value === '') next.delete(key(options, name));
    else next.set(key(options, name), value);
  };
  if (change.pageSize !== undefined) set('pageSize', change.pageSize === (options.defaultPageSize ?? 25) ? undefined : String(change.pageSize));
  if (change.sort !== undefined) {
    const s = formatSort(change.sort);
    set('sort', s === options.defaultSort ? undefined : s);
  }
  if (change.filters) {
    for (const [name, value] of Object.entries(change.filters) as [F, string | undefined | null][]) set(name, value ?? undefined);
  }
  const resetsPage = change.pageSize !== undefined || change.sort !== undefined || change.filters !== undefined;
  if (change.page !== undefined) set('page', change.page <= 1 ? undefined : String(change.page));
  else if (resetsPage) set('page', undefined);
  return next;
}

/** Parameters for a paged API list: `{ page, pageSize, sort, ...filters }`. */
export function toApiQuery<F extends string>(state: TableState<F>): Record<string, string | number> {
  const query: Record<string, string | number> = { page: state.page, pageSize: state.pageSize };
  const sort = formatSort(state.sort);
  if (sort) query.sort = sort;
  for (const [name, value] of Object.entries(state.filters) as [string, string | undefined][]) if (value) query[name] = value;
  return query;
}

/** Client-side sort and page, for lists the API returns whole (tokens, sessions). */
export function sortAndPage<T>(records: readonly T[], state: Pick<TableState, 'page' | 'pageSize' | 'sort'>, collator: Intl.Collator): T[] {
  const sorted = [...records];
  const sort = state.sort;
  if (sort) {
    const get = (r: T) => sort.column.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), r);
    sorted.sort((a, b) => {
      const va = get(a);
      const vb = get(b);
      let c: number;
      if (va === vb) c = 0;
      else if (va === null || va === undefined) c = 1;
      else if (vb === null || vb === undefined) c = -1;
      else if (typeof va === 'number' && typeof vb === 'number') c = va - vb;
      else c = collator.compare(String(va), String(vb));
      return sort.direction === 'desc' ? -c : c;
    });
  }
  const start = (state.page - 1) * state.pageSize;
  return sorted.slice(start, start + state.pageSize);
}
