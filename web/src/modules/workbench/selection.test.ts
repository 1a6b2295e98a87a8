import { describe, expect, it } from 'vitest';
import { selectedTextWithin, type SelectionLike } from './selection.ts';

// A tree of named nodes: the viewer holds a log row; the page header is outside.
const parents: Record<string, string | null> = { page: null, header: 'page', viewer: 'page', row: 'viewer', cell: 'row' };
const container = (name: string) => ({
  contains: (node: string | null) => {
    for (let at = node; at !== null; at = parents[at] ?? null) if (at === name) return true;
    return false;
  },
});
const selection = (text: string, ...ancestors: string[]): SelectionLike<string> => ({
  rangeCount: ancestors.length,
  isCollapsed: text === '',
  getRangeAt: (i) => ({ commonAncestorContainer: ancestors[i]! }),
  toString: () => text,
});

describe('the selection the workbench adds', () => {
  it('takes text selected inside the viewer', () => {
    expect(selectedTextWithin(selection('  203.0.113.7 ', 'cell'), container('viewer'))).toBe('203.0.113.7');
    expect(selectedTextWithin(selection('a row', 'row'), container('viewer'))).toBe('a row');
  });

  it('ignores text selected elsewhere on the page, or reaching out of the viewer', () => {
    expect(selectedTextWithin(selection('Team Alpha', 'header'), container('viewer'))).toBe('');
    expect(selectedTextWithin(selection('from the header into the log', 'page'), container('viewer'))).toBe('');
    expect(selectedTextWithin(selection('two ranges', 'cell', 'header'), container('viewer'))).toBe('');
  });

  it('has nothing to take without a selection or a viewer', () => {
    expect(selectedTextWithin(selection('', 'cell'), container('viewer'))).toBe('');
    expect(selectedTextWithin(selection('x'), container('viewer'))).toBe('');
    expect(selectedTextWithin(null, container('viewer'))).toBe('');
    expect(selectedTextWithin(selection('x', 'cell'), null)).toBe('');
  });
});
