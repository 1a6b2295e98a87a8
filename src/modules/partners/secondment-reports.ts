import type { Db, Tx } from '../../core/db/index.ts';
import { iso, type Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { conflict, forbidden, notFound, validationError } from '../../core/errors.ts';
import { reachOf, type Actor } from '../../core/permissions.ts';
import { recordAudit } from '../audit/service.ts';
import type { Audited } from './applications.ts';
import type { StoredFile } from './files.ts';
import { dayOf } from './presenters.ts';
import { getSecondment } from './secondments.ts';
import type { DocumentMediaType, Secondment, SecondmentReport, SecondmentReportCreate } from './schemas.ts';

// Reports on a secondment: what the expert did over a period. They are read by
// whoever may read the secondment (administrators, the sending partner's
// analysts; anyone else gets 404) and written by administrators and by the
// sending partner's analysts. Another partner never sees them.

/** Whether the actor may write reports on this (visible) secondment. */
function mayWrite(actor: Actor, secondment: Secondment) {
  const reach = reachOf(actor, 'partners.secondments.report');
  return reach === 'all' || (reach === 'organisation' && secondment.organisationId === actor.organisationId);
}

function reportsOf(db: Db | Tx, secondmentId: string) {
  return db
    .selectFrom('partner_secondment_reports as r')
    .innerJoin('users as u', 'u.id', 'r.author_user_id')
    .innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .selectAll('r')
    .select(['u.display_name as author_name', 'o.name as author_organisation_name'])
    .where('r.secondment_id', '=', secondmentId);
}
type Row = Awaited<ReturnType<ReturnType<typeof reportsOf>['executeTakeFirstOrThrow']>>;

const attachmentOf = (r: Pick<Row, 'attachment_name' | 'attachment_media_type' | 'attachment_size' | 'attachment_sha256'>): StoredFile | null =>
  r.attachment_sha256 === null
    ? null
    : { fileName: r.attachment_name!, mediaType: r.attachment_media_type as DocumentMediaType, size: Number(r.attachment_size), sha256: r.attachment_sha256 };

const mayAttach = (actor: Actor, r: Row) => r.attachment_sha256 === null && (reachOf(actor, 'partners.secondments.report') === 'all' || r.author_user_id === actor.userId);

const present = (r: Row, actor: Actor, writer: boolean): SecondmentReport => ({
  id: r.id,
  secondmentId: r.secondment_id,
  periodStart: r.period_start,
  periodEnd: r.period_end,
  body: r.body,
  authorName: r.author_name,
  authorOrganisationName: r.author_organisation_name,
  attachment: attachmentOf(r),
  canAttach: writer && mayAttach(actor, r),
  createdAt: r.created_at,
});

export async function listSecondmentReports(db: Db, clock: Clock, actor: Actor, secondmentId: string) {
  const secondment = await getSecondment(db, clock, actor, secondmentId);
  const writer = mayWrite(actor, secondment);
  const rows = await reportsOf(db, secondmentId).orderBy('r.period_start', 'desc').orderBy('r.id').execute();
  return { items: rows.map((r) => present(r, actor, writer)), canWrite: writer && secondment.status !== 'cancelled' };
}

async function readReport(db: Db | Tx, clock: Clock, actor: Actor, secondmentId: string, reportId: string) {
  const secondment = await getSecondment(db, clock, actor, secondmentId);
  const row = await reportsOf(db, secondmentId).where('r.id', '=', reportId).executeTakeFirst();
  if (!row) throw notFound('Report');
  return { secondment, row };
}

export async function getSecondmentReport(db: Db, clock: Clock, actor: Actor, secondmentId: string, reportId: string) {
  const { secondment, row } = await readReport(db, clock, actor, secondmentId, reportId);
  return present(row, actor, mayWrite(actor, secondment));
}

export async function secondmentReportAttachment(db: Db, clock: Clock, actor: Actor, secondmentId: string, reportId: string) {
  const { row } = await readReport(db, clock, actor, secondmentId, reportId);
  const file = attachmentOf(row);
  if (!file) throw notFound('Attachment');
  return file;
}

export async function addSecondmentReport(db: Db, clock: Clock, secondmentId: string, input: SecondmentReportCreate, audit: Audited) {
  const id = newId();
  await db.transaction().execute(async (tx) => {
    const secondment = await getSecondment(tx, clock, audit.actor, secondmentId);
    if (!mayWrite(audit.actor, secondment)) throw forbidden('Only administrators and the sending partner’s analysts write reports on a secondment');
    if (secondment.status === 'cancelled') throw conflict('status: the secondment was cancelled');
    if (input.periodEnd < input.periodStart) throw validationError('body.periodEnd', 'must be on or after periodStart');
    if (input.periodStart < secondment.startsOn || input.periodEnd > secondment.endsOn) {
      throw validationError('body.periodStart', `the period must lie within the secondment (${secondment.startsOn} to ${secondment.endsOn})`);
    }
    if (input.periodStart > dayOf(clock.now())) throw validationError('body.periodStart', 'a report covers a period that has begun');
    const now = iso(clock.now());
    await tx
      .insertInto('partner_secondment_reports')
      .values({
        id,
        secondment_id: secondmentId,
        period_start: input.periodStart,
        period_end: input.periodEnd,
        body: input.body,
        author_user_id: audit.actor.userId,
        attachment_name: null,
        attachment_media_type: null,
        attachment_size: null,
        attachment_sha256: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await recordAudit(tx, clock, {
      action: 'partner_secondment.report_added',
      outcome: 'success',
      actor: audit.actor,
      target: { type: 'partner_secondment', id: secondmentId },
      ip: audit.ip,
      requestId: audit.requestId,
      details: { reportId: id, periodStart: input.periodStart, periodEnd: input.periodEnd },
    });
  });
  return getSecondmentReport(db, clock, audit.actor, secondmentId, id);
}

/** Checks, before any byte is received (and again when storing), that the actor may attach a file to the report. */
export async function checkMayAttach(db: Db | Tx, clock: Clock, actor: Actor, secondmentId: string, reportId: string) {
  const { secondment, row } = await readReport(db, clock, actor, secondmentId, reportId);
  if (!mayWrite(actor, secondment)) throw forbidden('Only administrators and the sending partner’s analysts write reports on a secondment');
  if (row.attachment_sha256 !== null) throw conflict('file: the report already has an attachment');
  if (!mayAttach(actor, row)) throw forbidden('Only the report’s author or an administrator attaches a file to it');
}

export async function attachToSecondmentReport(db: Db, clock: Clock, secondmentId: string, reportId: string, file: StoredFile, audit: Audited) {
  await db.transaction().execute(async (tx) => {
    await checkMayAttach(tx, clock, audit.actor, secondmentId, reportId);
    const done = await tx
      .updateTable('partner_secondment_reports')
      .set({ attachment_name: file.fileName, attachment_media_type: file.mediaType, attachment_size: file.size, attachment_sha256: file.sha256, updated_at: iso(clock.now()) })
      .where('id', '=', reportId)
      .where('attachment_sha256', 'is', null)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw conflict('file: the report already has an attachment');
    await recordAudit(tx, clock, {
      action: 'partner_secondment.report_attachment_added',
      outcome: 'success',
      actor: audit.actor,
      target: { type: 'partner_secondment', id: secondmentId },
      ip: audit.ip,
      requestId: audit.requestId,
      details: { reportId, fileName: file.fileName, mediaType: file.mediaType, size: file.size, sha256: file.sha256 },
    });
  });
  return getSecondmentReport(db, clock, audit.actor, secondmentId, reportId);
}
