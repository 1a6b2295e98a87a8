import { describe, expect, it } from 'vitest';
import { auditActions } from '../../../../src/modules/audit/schemas.ts';
import en from './messages/en.json' with { type: 'json' };
import { actionGroups, actionLabel } from './labels.ts';

describe('audit labels', () => {
  it('translate every audit action of the server', () => {
    const missing = auditActions.filter((a) => !actionLabel[a] || !(actionLabel[a]! in en));
    expect(missing).toEqual([]);
  });

  it('put every action in a group of the action filter', () => {
    const prefixes = new Set(actionGroups.map((g) => g.prefix));
    expect(auditActions.filter((a) => !prefixes.has(a.split('.')[0] ?? ''))).toEqual([]);
  });
});
