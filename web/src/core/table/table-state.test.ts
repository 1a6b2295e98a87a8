import { describe, expect, it } from 'vitest';
import { formatSort, parseSort, readTableState, sortAndPage, toApiQuery, writeTableState } from './table-state.ts';

const options = { defaultSort: 'displayName', filters: ['search', 'role'] as const };

describe('table state in the URL', () => {
  it('reads defaults from an empty query string', () => {
    expect(readTableState(new URLSearchParams(), options)).toEqual({ page: 1, pageSize: 25, sort: { column: 'displayName', direction: 'asc' }, filters: {} });
  });

  it('reads page, size, sort and filters', () => {
    const s = readTableState(new URLSearchParams('page=3&pageSize=50&sort=-createdAt&search=ana&role=trainer&other=x'), options);
    expect(s).toEqual({ page: 3, pageSize: 50, sort: { column: 'createdAt', direction: 'desc' }, filters: { search: 'ana', role: 'trainer' } });
  });

  it('ignores values that make no sense', () => {
    const s = readTableState(new URLSearchParams('page=-2&pageSize=7&sort=-;drop'), options);
    expect(s.page).toBe(1);
    expect(s.pageSize).toBe(25);
    expect(s.sort).toEqual({ column: 'displayName', direction: 'asc' });
  });

  it('goes back to page 1 when the sort or a filter changes, and drops defaults', () => {
    const start = new URLSearchParams('page=4&search=old&keep=1');
    expect(writeTableState(start, { filters: { search: 'new' } }, options).toString()).toBe('search=new&keep=1');
    expect(writeTableState(start, { sort: { column: 'email', direction: 'desc' } }, options).toString()).toBe('search=old&keep=1&sort=-email');
    expect(writeTableState(start, { sort: { column: 'displayName', direction: 'asc' } }, options).toString()).toBe('search=old&keep=1');
    expect(writeTableState(start, { page: 5 }, options).toString()).toBe('page=5&search=old&keep=1');
    expect(writeTableState(start, { page: 1, filters: { search: null } }, options).toString()).toBe('keep=1');
  });

  it('prefixes parameters when asked', () => {
    const p = writeTableState(new URLSearchParams(), { page: 2 }, { prefix: 'tokens' });
    expect(p.toString()).toBe('tokens.page=2');
    expect(readTableState(p, { prefix: 'tokens' }).page).toBe(2);
  });

  it('builds the API query', () => {
    const s = readTableState(new URLSearchParams('page=2&sort=-createdAt&role=expert'), options);
    expect(toApiQuery(s)).toEqual({ page: 2, pageSize: 25, sort: '-createdAt', role: 'expert' });
  });

  it('round-trips sorts', () => {
    expect(formatSort(parseSort('-lastSeenAt'))).toBe('-lastSeenAt');
    expect(formatSort(parseSort('name'))).toBe('name');
    expect(parseSort('')).toBeNull();
  });
});

describe('sortAndPage', () => {
  const rows = [
    { name: 'Émile', at: '2026-01-03', n: null },
    { name: 'anna', at: '2026-01-01', n: 2 },
    { name: 'Zoé', at: '2026-01-02', n: 1 },
  ];
  const collator = new Intl.Collator('fr', { sensitivity: 'base' });

  it('sorts by locale, nulls last, then pages', () => {
    expect(sortAndPage(rows, { page: 1, pageSize: 10, sort: { column: 'name', direction: 'asc' } }, collator).map((r) => r.name)).toEqual(['anna', 'Émile', 'Zoé']);
    expect(sortAndPage(rows, { page: 1, pageSize: 10, sort: { column: 'at', direction: 'desc' } }, collator).map((r) => r.at)).toEqual(['2026-01-03', '2026-01-02', '2026-01-01']);
    expect(sortAndPage(rows, { page: 1, pageSize: 10, sort: { column: 'n', direction: 'asc' } }, collator).map((r) => r.n)).toEqual([1, 2, null]);
    expect(sortAndPage(rows, { page: 2, pageSize: 2, sort: { column: 'name', direction: 'asc' } }, collator).map((r) => r.name)).toEqual(['Zoé']);
  });
});
