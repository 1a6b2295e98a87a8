import { describe, expect, it } from 'vitest';
import { can, canOn, permissionTable, reachOf, type Actor } from './permissions.ts';
import { roles } from '../modules/accounts/roles.ts';

const actor = (...r: Actor['roles']): Actor => ({ userId: 'u1', organisationId: 'o1', roles: r });

describe('permissions', () => {
  it('grants administration to administrators only', () => {
    for (const role of roles) {
      expect(can(actor(role), 'users.manage')).toBe(role === 'administrator');
      expect(can(actor(role), 'audit.read')).toBe(role === 'administrator');
    }
  });

  it('takes the widest reach across several roles', () => {
    expect(reachOf(actor('participant'), 'organisations.read')).toBe('organisation');
    expect(reachOf(actor('participant', 'trainer'), 'organisations.read')).toBe('all');
    expect(reachOf(actor(), 'profile.manage')).toBeNull();
  });

  it('checks the owner of an object against the reach', () => {
    expect(canOn(actor('participant'), 'organisations.read', { organisationId: 'o1' })).toBe(true);
    expect(canOn(actor('participant'), 'organisations.read', { organisationId: 'o2' })).toBe(false);
    expect(canOn(actor('participant'), 'profile.manage', { userId: 'u1' })).toBe(true);
    expect(canOn(actor('participant'), 'profile.manage', { userId: 'u2' })).toBe(false);
    expect(canOn(actor('trainer'), 'users.manage', { organisationId: 'o1' })).toBe(false);
  });

  it('names only known roles in the table', () => {
    for (const row of Object.values(permissionTable)) for (const role of Object.keys(row)) expect(roles).toContain(role);
  });
});
