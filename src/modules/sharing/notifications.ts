import { sql } from 'kysely';
import type { Db, Tx } from '../../core/db/index.ts';
import { iso, type Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { permissionTable, type Actor } from '../../core/permissions.ts';
import type { Role } from '../accounts/roles.ts';
import type { NotificationQuery, NotificationsRead } from './schemas.ts';
import { indicatorsVisibleTo, organisationViewer, reportsVisibleTo, sharingViewer, type Viewer } from './visibility.ts';

// Correlation notifications: when indicators bring a value that another report
// already has, the analysts whose organisation may see a shared value on BOTH
// sides (the central rule, at the indicators' effective TLP) are told, one
// notification per pair of reports. Listing, counting and marking read apply
// the rule again at that moment, so a notification never shows a report the
// reader may no longer see, and is not counted either.

/** Analysts: the roles that file reports (docs/sharing.md, "Who may do what"). */
const analystRoles = Object.keys(permissionTable['sharing.report']) as Role[];
/** New notifications per analyst and write (a bulk import would otherwise flood the list; each indicator's page still lists all its correlations). */
export const notificationCap = 200;

/**
 * The reports sharing a value with `reportId` that this viewer sees on both sides (a visible indicator
 * of each with the same value), most values shared first. Among the reports written together, a pair is
 * told once (from the later id).
 */
function relatedTo(db: Db | Tx, viewer: Viewer, reportId: string, written: string[], limit: number) {
  const mine = indicatorsVisibleTo(db, viewer)
    .innerJoin('sharing_values as sv', 'sv.id', 'sharing_indicators.value_id')
    .select('sharing_indicators.value_id')
    .where('sharing_indicators.report_id', '=', reportId)
    .where('sv.linked_count', '>', 1)
    .where('sv.too_common', '=', 0)
    .as('n');
  const theirs = indicatorsVisibleTo(db, viewer).select(['sharing_indicators.report_id', 'sharing_indicators.value_id']).as('o');
  const later = written.filter((id) => id !== reportId && id > reportId);
  let q = db
    .selectFrom(mine)
    .innerJoin(theirs, 'o.value_id', 'n.value_id')
    .select(['o.report_id as related_report_id', (eb) => eb.fn.countAll<number>().as('shared')])
    .where('o.report_id', '!=', reportId);
  if (later.length > 0) q = q.where('o.report_id', 'not in', later);
  return q.groupBy('o.report_id').orderBy('shared', 'desc').orderBy('o.report_id').limit(limit);
}

/**
 * Notifies the analysts allowed to see both sides of each new correlation of these reports, in the
 * writer's transaction. Per organisation: the new reports its members may see, then for each the
 * related reports it may see, until the cap is reached.
 */
export async function notifyCorrelations(tx: Tx, clock: Clock, reportIds: string[]) {
  if (reportIds.length === 0) return;
  const at = clock.now();
  const now = iso(at);
  const analysts = await tx
    .selectFrom('users')
    .innerJoin('user_roles', 'user_roles.user_id', 'users.id')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select(['users.id', 'users.organisation_id'])
    .distinct()
    .where('users.status', '=', 'active')
    .where('organisations.status', '=', 'active')
    .where('user_roles.role', 'in', analystRoles)
    .execute();
  const byOrganisation = new Map<string, string[]>();
  for (const a of analysts) byOrganisation.set(a.organisation_id, [...(byOrganisation.get(a.organisation_id) ?? []), a.id]);
  for (const [organisationId, users] of byOrganisation) {
    const viewer = await organisationViewer(tx, organisationId, at);
    const seen = (await reportsVisibleTo(tx, viewer).select('sharing_reports.id').where('sharing_reports.id', 'in', reportIds).orderBy('sharing_reports.id').execute()).map((r) => r.id);
    const pairs: Array<{ report_id: string; related_report_id: string }> = [];
    for (const reportId of seen) {
      if (pairs.length >= notificationCap) break;
      const related = await relatedTo(tx, viewer, reportId, reportIds, notificationCap - pairs.length).execute();
      for (const r of related) pairs.push({ report_id: reportId, related_report_id: r.related_report_id });
    }
    if (pairs.length === 0) continue;
    const rows = users.flatMap((userId) => pairs.map((p) => ({ id: newId(), user_id: userId, report_id: p.report_id, related_report_id: p.related_report_id, created_at: now, read_at: null })));
    for (let i = 0; i < rows.length; i += 500) {
      await tx
        .insertInto('sharing_notifications')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['user_id', 'report_id', 'related_report_id']).doNothing())
        .execute();
    }
  }
}

/** The reader's notifications that the rule still lets them see: both reports, and a shared value on both sides. */
function readable(db: Db, viewer: Viewer) {
  return db
    .selectFrom('sharing_notifications as nt')
    .innerJoin('sharing_reports as r', 'r.id', 'nt.report_id')
    .innerJoin('organisations as ro', 'ro.id', 'r.reporter_organisation_id')
    .innerJoin('sharing_reports as rr', 'rr.id', 'nt.related_report_id')
    .innerJoin('organisations as rro', 'rro.id', 'rr.reporter_organisation_id')
    .where('nt.user_id', '=', viewer.actor.userId)
    .where((eb) =>
      eb.exists(
        indicatorsVisibleTo(db, viewer)
          .select('sharing_indicators.id')
          .where('sharing_indicators.report_id', '=', sql.ref<string>('nt.report_id'))
          .where((eb2) => eb2.exists(eb2.selectFrom('sharing_values as sv').select('sv.id').whereRef('sv.id', '=', 'sharing_indicators.value_id').where('sv.too_common', '=', 0)))
          .where('sharing_indicators.value_id', 'in', () => indicatorsVisibleTo(db, viewer).select('sharing_indicators.value_id').where('sharing_indicators.report_id', '=', sql.ref<string>('nt.related_report_id'))),
      ),
    );
}

export async function listNotifications(ctx: { db: Db; clock: Clock }, actor: Actor, query: NotificationQuery) {
  const viewer = await sharingViewer(ctx.db, actor, ctx.clock.now());
  const base = readable(ctx.db, viewer);
  const q = query.unread ? base.where('nt.read_at', 'is', null) : base;
  const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const { unread } = await base.where('nt.read_at', 'is', null).select((eb) => eb.fn.countAll<number>().as('unread')).executeTakeFirstOrThrow();
  const rows = await q
    .select(['nt.id', 'nt.created_at', 'nt.read_at', 'r.id as report_id', 'r.title as report_title', 'r.tlp as report_tlp', 'ro.name as report_org', 'rr.id as related_id', 'rr.title as related_title', 'rr.tlp as related_tlp', 'rro.name as related_org'])
    .orderBy('nt.created_at', 'desc')
    .orderBy('nt.id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return {
    items: rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      readAt: r.read_at,
      report: { id: r.report_id, title: r.report_title, tlp: r.report_tlp, reporterOrganisationName: r.report_org },
      relatedReport: { id: r.related_id, title: r.related_title, tlp: r.related_tlp, reporterOrganisationName: r.related_org },
    })),
    total: Number(total),
    unread: Number(unread),
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function unreadNotifications(ctx: { db: Db; clock: Clock }, actor: Actor) {
  const viewer = await sharingViewer(ctx.db, actor, ctx.clock.now());
  const { unread } = await readable(ctx.db, viewer).where('nt.read_at', 'is', null).select((eb) => eb.fn.countAll<number>().as('unread')).executeTakeFirstOrThrow();
  return { unread: Number(unread) };
}

/** Marks the reader's own notifications read (some, or all); others' are out of reach by construction. */
export async function markNotificationsRead(ctx: { db: Db; clock: Clock }, actor: Actor, input: NotificationsRead) {
  let q = ctx.db.updateTable('sharing_notifications').set({ read_at: iso(ctx.clock.now()) }).where('user_id', '=', actor.userId).where('read_at', 'is', null);
  if (input.ids) q = q.where('id', 'in', input.ids.length > 0 ? input.ids : ['']);
  const r = await q.executeTakeFirst();
  return { updated: Number(r.numUpdatedRows) };
}
