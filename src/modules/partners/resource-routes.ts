import { z } from 'zod';
import type { App, AppContext } from '../../core/http/types.ts';
import { actorOf, auditContext } from '../../core/http/access.ts';
import { idParams } from '../shared-schemas.ts';
import {
  accessDecision,
  accessRequest,
  accessRequestCreate,
  accessRequestPage,
  accessRequestQuery,
  accessRevoke,
  agreementDocument,
  agreementDocumentList,
  agreementDocumentParams,
  documentMaxBytes,
  offer,
  offerCreate,
  offerPage,
  offerQuery,
  offerUpdate,
  secondmentReport,
  secondmentReportCreate,
  secondmentReportList,
  secondmentReportParams,
} from './schemas.ts';
import { getAgreement } from './agreements.ts';
import { addAgreementDocument, getAgreementDocument, listAgreementDocuments, removeAgreementDocument } from './documents.ts';
import { receiveFile, sendFile } from './files.ts';
import { addSecondmentReport, attachToSecondmentReport, checkMayAttach, listSecondmentReports, secondmentReportAttachment } from './secondment-reports.ts';
import { createOffer, decideAccess, getAccessRequest, getOffer, listAccessRequests, listOffers, requestAccess, revokeAccess, updateOffer } from './catalogue.ts';

/** Agreement documents, secondment reports, and the tools and datasets catalogue. */
export function partnerResourceRoutes(app: App, ctx: AppContext) {
  const { db } = ctx.database;
  const tags = ['partners'];
  const upload = `multipart/form-data with one "file" field: PDF, DOCX, ODT, PNG, JPEG, GIF or WebP, recognised from its content, at most ${documentMaxBytes} bytes`;

  app.get(
    '/api/partner-agreements/:id/documents',
    { config: { access: { permission: 'partners.read' } }, schema: { tags, summary: 'The documents of an agreement', params: idParams, response: { 200: agreementDocumentList } } },
    async (request) => listAgreementDocuments(db, ctx.clock, actorOf(request), request.params.id),
  );
  app.post(
    '/api/partner-agreements/:id/documents',
    { config: { access: { permission: 'partners.manage' } }, schema: { tags, summary: 'Add a document to an agreement', description: upload, params: idParams, response: { 201: agreementDocument } } },
    async (request, reply) => {
      // The agreement first: nothing is received for one the caller cannot see.
      await getAgreement(db, ctx.clock, actorOf(request), request.params.id);
      const file = await receiveFile(ctx, request);
      return reply.status(201).send(await addAgreementDocument(db, ctx.clock, request.params.id, file, auditContext(request)));
    },
  );
  app.get(
    '/api/partner-agreements/:id/documents/:documentId/content',
    { config: { access: { permission: 'partners.read' } }, schema: { tags, summary: 'Download a document (always as an attachment)', params: agreementDocumentParams } },
    async (request, reply) => sendFile(ctx, reply, await getAgreementDocument(db, ctx.clock, actorOf(request), request.params.id, request.params.documentId)),
  );
  app.delete(
    '/api/partner-agreements/:id/documents/:documentId',
    { config: { access: { permission: 'partners.manage' } }, schema: { tags, summary: 'Remove a document from an agreement', params: agreementDocumentParams, response: { 204: z.null() } } },
    async (request, reply) => {
      await removeAgreementDocument(db, ctx.clock, request.params.id, request.params.documentId, auditContext(request));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/partner-secondments/:id/reports',
    { config: { access: { permission: 'partners.read' } }, schema: { tags, summary: 'The reports of a secondment', params: idParams, response: { 200: secondmentReportList } } },
    async (request) => listSecondmentReports(db, ctx.clock, actorOf(request), request.params.id),
  );
  app.post(
    '/api/partner-secondments/:id/reports',
    {
      config: { access: { permission: 'partners.secondments.report' } },
      schema: { tags, summary: 'Write a report on a secondment (administrators, the sending partner’s analysts)', params: idParams, body: secondmentReportCreate, response: { 201: secondmentReport } },
    },
    async (request, reply) => reply.status(201).send(await addSecondmentReport(db, ctx.clock, request.params.id, request.body, auditContext(request))),
  );
  app.post(
    '/api/partner-secondments/:id/reports/:reportId/attachment',
    { config: { access: { permission: 'partners.secondments.report' } }, schema: { tags, summary: 'Attach a file to a report (once; its author or an administrator)', description: upload, params: secondmentReportParams, response: { 200: secondmentReport } } },
    async (request) => {
      await checkMayAttach(db, ctx.clock, actorOf(request), request.params.id, request.params.reportId);
      const file = await receiveFile(ctx, request);
      return attachToSecondmentReport(db, ctx.clock, request.params.id, request.params.reportId, file, auditContext(request));
    },
  );
  app.get(
    '/api/partner-secondments/:id/reports/:reportId/attachment',
    { config: { access: { permission: 'partners.read' } }, schema: { tags, summary: 'Download a report’s attachment', params: secondmentReportParams } },
    async (request, reply) => sendFile(ctx, reply, await secondmentReportAttachment(db, ctx.clock, actorOf(request), request.params.id, request.params.reportId)),
  );

  app.get(
    '/api/partner-offers',
    { config: { access: { permission: 'partners.catalogue.read' } }, schema: { tags, summary: 'Tools and datasets offered by partners (police users see those open to requests)', querystring: offerQuery, response: { 200: offerPage } } },
    async (request) => listOffers(db, ctx.clock, actorOf(request), request.query),
  );
  app.get(
    '/api/partner-offers/:id',
    { config: { access: { permission: 'partners.catalogue.read' } }, schema: { tags, summary: 'One tool or dataset', params: idParams, response: { 200: offer } } },
    async (request) => getOffer(db, ctx.clock, actorOf(request), request.params.id),
  );
  app.post(
    '/api/partner-offers',
    { config: { access: { permission: 'partners.manage' } }, schema: { tags, summary: 'Record a tool or dataset offered under an active analysis-tools-and-data agreement', body: offerCreate, response: { 201: offer } } },
    async (request, reply) => reply.status(201).send(await createOffer(db, ctx.clock, request.body, auditContext(request))),
  );
  app.patch(
    '/api/partner-offers/:id',
    { config: { access: { permission: 'partners.manage' } }, schema: { tags, summary: 'Change or withdraw an offer', params: idParams, body: offerUpdate, response: { 200: offer } } },
    async (request) => updateOffer(db, ctx.clock, request.params.id, request.body, auditContext(request)),
  );
  app.post(
    '/api/partner-offers/:id/requests',
    { config: { access: { permission: 'partners.catalogue.request' } }, schema: { tags, summary: 'Request access to a tool or dataset for oneself', params: idParams, body: accessRequestCreate, response: { 201: accessRequest } } },
    async (request, reply) => reply.status(201).send(await requestAccess(db, ctx.clock, request.params.id, request.body.purpose, auditContext(request))),
  );

  app.get(
    '/api/partner-access-requests',
    {
      config: { access: { permission: 'partners.catalogue.read' } },
      schema: { tags, summary: 'Access requests (a police user sees their own; a partner analyst those on its offers)', querystring: accessRequestQuery, response: { 200: accessRequestPage } },
    },
    async (request) => listAccessRequests(db, ctx.clock, actorOf(request), request.query),
  );
  app.get(
    '/api/partner-access-requests/:id',
    { config: { access: { permission: 'partners.catalogue.read' } }, schema: { tags, summary: 'One access request', params: idParams, response: { 200: accessRequest } } },
    async (request) => getAccessRequest(db, ctx.clock, actorOf(request), request.params.id),
  );
  app.post(
    '/api/partner-access-requests/:id/decision',
    { config: { access: { permission: 'partners.catalogue.decide' } }, schema: { tags, summary: 'Approve (with an expiry date) or refuse an access request', params: idParams, body: accessDecision, response: { 200: accessRequest } } },
    async (request) => decideAccess(db, ctx.clock, request.params.id, request.body, auditContext(request)),
  );
  app.post(
    '/api/partner-access-requests/:id/revoke',
    { config: { access: { permission: 'partners.catalogue.decide' } }, schema: { tags, summary: 'End a granted access before its expiry', params: idParams, body: accessRevoke, response: { 200: accessRequest } } },
    async (request) => revokeAccess(db, ctx.clock, request.params.id, request.body.note, auditContext(request)),
  );
}
