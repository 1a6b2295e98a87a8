import type { Db } from '../../core/db/index.ts';
import { iso, type Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { notFound } from '../../core/errors.ts';
import type { Actor } from '../../core/permissions.ts';
import { recordAudit } from '../audit/service.ts';
import type { Audited } from './applications.ts';
import { getAgreement } from './agreements.ts';
import type { StoredFile } from './files.ts';
import type { AgreementDocument, DocumentMediaType } from './schemas.ts';

// The documents of an agreement (the signed text, annexes, scans). They follow
// the agreement's own visibility: whoever cannot read the agreement cannot list
// or download its documents (404); only administrators add or remove them.

function documentsOf(db: Db, agreementId: string) {
  return db
    .selectFrom('partner_agreement_documents as d')
    .innerJoin('users as u', 'u.id', 'd.uploaded_by')
    .selectAll('d')
    .select('u.display_name as uploaded_by_name')
    .where('d.agreement_id', '=', agreementId);
}
type Row = Awaited<ReturnType<ReturnType<typeof documentsOf>['executeTakeFirstOrThrow']>>;

const present = (r: Row): AgreementDocument => ({
  id: r.id,
  agreementId: r.agreement_id,
  fileName: r.file_name,
  mediaType: r.media_type as DocumentMediaType,
  size: Number(r.size),
  sha256: r.sha256,
  uploadedByName: r.uploaded_by_name,
  uploadedAt: r.uploaded_at,
});

export async function listAgreementDocuments(db: Db, clock: Clock, actor: Actor, agreementId: string) {
  await getAgreement(db, clock, actor, agreementId);
  const rows = await documentsOf(db, agreementId).orderBy('d.uploaded_at', 'desc').orderBy('d.id').execute();
  return { items: rows.map(present) };
}

export async function getAgreementDocument(db: Db, clock: Clock, actor: Actor, agreementId: string, documentId: string) {
  await getAgreement(db, clock, actor, agreementId);
  const row = await documentsOf(db, agreementId).where('d.id', '=', documentId).executeTakeFirst();
  if (!row) throw notFound('Document');
  return present(row);
}

export async function addAgreementDocument(db: Db, clock: Clock, agreementId: string, file: StoredFile, audit: Audited) {
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await getAgreement(tx, clock, audit.actor, agreementId);
    await tx
      .insertInto('partner_agreement_documents')
      .values({ id, agreement_id: agreementId, file_name: file.fileName, media_type: file.mediaType, size: file.size, sha256: file.sha256, uploaded_by: audit.actor.userId, uploaded_at: iso(clock.now()) })
      .execute();
    await recordAudit(tx, clock, {
      action: 'partner_agreement.document_added',
      outcome: 'success',
      actor: audit.actor,
      target: { type: 'partner_agreement', id: agreementId },
      ip: audit.ip,
      requestId: audit.requestId,
      details: { documentId: id, fileName: file.fileName, mediaType: file.mediaType, size: file.size, sha256: file.sha256 },
    });
  });
  return getAgreementDocument(db, clock, audit.actor, agreementId, id);
}

/** Removes the document from the agreement; the audit entry keeps its name and hash. */
export async function removeAgreementDocument(db: Db, clock: Clock, agreementId: string, documentId: string, audit: Audited) {
  await db.transaction().execute(async (tx) => {
    await getAgreement(tx, clock, audit.actor, agreementId);
    const row = await tx.selectFrom('partner_agreement_documents').selectAll().where('id', '=', documentId).where('agreement_id', '=', agreementId).executeTakeFirst();
    if (!row) throw notFound('Document');
    await tx.deleteFrom('partner_agreement_documents').where('id', '=', documentId).execute();
    await recordAudit(tx, clock, {
      action: 'partner_agreement.document_removed',
      outcome: 'success',
      actor: audit.actor,
      target: { type: 'partner_agreement', id: agreementId },
      ip: audit.ip,
      requestId: audit.requestId,
      details: { documentId, fileName: row.file_name, sha256: row.sha256 },
    });
  });
}
