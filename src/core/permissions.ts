import type { Role } from '../modules/accounts/roles.ts';

// The one table of who may do what. Each cell says how far the grant reaches:
// 'all' objects, objects of the actor's 'organisation', or only the actor's
// own ('self'). An action missing for a role is refused.
export type Reach = 'all' | 'organisation' | 'self';

const everyone = (reach: Reach): Partial<Record<Role, Reach>> => ({
  administrator: reach,
  trainer: reach,
  expert: reach,
  participant: reach,
  partner_analyst: reach,
  working_group_member: reach,
});

export const permissionTable = {
  'profile.manage': everyone('self'),
  'reference.read': everyone('all'),
  'organisations.read': {
    administrator: 'all',
    trainer: 'all',
    expert: 'all',
    participant: 'organisation',
    partner_analyst: 'organisation',
    working_group_member: 'organisation',
  },
  'organisations.manage': { administrator: 'all' },
  'users.read': {
    administrator: 'all',
    trainer: 'all',
    expert: 'organisation',
    participant: 'organisation',
    partner_analyst: 'organisation',
    working_group_member: 'organisation',
  },
  'users.manage': { administrator: 'all' },
  'security.manage': { administrator: 'all' },
  'audit.read': { administrator: 'all' },
  'scenarios.read': { administrator: 'all', trainer: 'all', expert: 'all' },
  'scenarios.manage': { administrator: 'all', trainer: 'all' },
  'exercises.create': { administrator: 'all', trainer: 'all' },
  'exercises.join': { participant: 'self' },
  // Partnerships: administrators run the application pipeline and agreements;
  // a partner analyst reads its own organisation's agreements only. Police
  // users other than administrators do not see agreements (need-to-know).
  'partners.manage': { administrator: 'all' },
  'partners.read': { administrator: 'all', partner_analyst: 'organisation' },
  // Secondment reports: written by administrators and by the sending partner's analysts.
  'partners.secondments.report': { administrator: 'all', partner_analyst: 'organisation' },
  // Tools and datasets (docs/partnerships.md): police users browse the offers and
  // request access for themselves; a partner analyst sees its own organisation's
  // offers and decides the requests on them; administrators all.
  'partners.catalogue.read': { administrator: 'all', trainer: 'self', expert: 'self', participant: 'self', working_group_member: 'self', partner_analyst: 'organisation' },
  'partners.catalogue.request': { administrator: 'self', trainer: 'self', expert: 'self', participant: 'self', working_group_member: 'self' },
  'partners.catalogue.decide': { administrator: 'all', partner_analyst: 'organisation' },
  // Information sharing (docs/sharing.md): everyone signed in may read, and sees
  // only what the TLP rule allows ('organisation'); administrators see all,
  // their reads of RED and AMBER+STRICT items recorded. Reports are filed by
  // partner analysts and police staff, and changed by their own organisation.
  'sharing.read': { ...everyone('organisation'), administrator: 'all' },
  'sharing.report': { administrator: 'all', trainer: 'organisation', expert: 'organisation', working_group_member: 'organisation', partner_analyst: 'organisation' },
  'sharing.log.read': { administrator: 'all', trainer: 'organisation', expert: 'organisation', working_group_member: 'organisation', partner_analyst: 'organisation' },
  'sharing.log.verify': { administrator: 'all' },
} as const satisfies Record<string, Partial<Record<Role, Reach>>>;

export type Action = keyof typeof permissionTable;

export type Actor = {
  userId: string;
  organisationId: string;
  roles: readonly Role[];
};

const breadth: Record<Reach, number> = { self: 1, organisation: 2, all: 3 };

/** The widest reach any of the actor's roles grants for the action, or null. */
export function reachOf(actor: Actor, action: Action): Reach | null {
  const row: Partial<Record<Role, Reach>> = permissionTable[action];
  let best: Reach | null = null;
  for (const role of actor.roles) {
    const r = row[role];
    if (r && (!best || breadth[r] > breadth[best])) best = r;
  }
  return best;
}

export const can = (actor: Actor, action: Action): boolean => reachOf(actor, action) !== null;

/** Whether the actor may act on one object, given whom it belongs to. */
export function canOn(
  actor: Actor,
  action: Action,
  owner: { organisationId?: string | null; userId?: string | null },
): boolean {
  switch (reachOf(actor, action)) {
    case 'all':
      return true;
    case 'organisation':
      return owner.organisationId === actor.organisationId;
    case 'self':
      return owner.userId === actor.userId;
    default:
      return false;
  }
}
