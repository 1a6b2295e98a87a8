import type { Db } from '../../core/db/index.ts';
import { iso, type Clock } from '../../core/clock.ts';
import { newId } from '../../core/ids.ts';
import { dayOf } from './presenters.ts';

const tools = 'DEMO-ATD-2026-01';

/**
 * Demo partnerships for Meridian Bank (the demo partner analyst's organisation):
 * an analysis tools and data agreement with two offers in the catalogue and a
 * pending access request from the Singapore investigator, and an expert
 * secondment to the Brazilian unit under an agreement ending within the month
 * (so that the expiry reminder shows), with a first report. Once only.
 */
export async function seedDemoPartnerships(db: Db, clock: Clock): Promise<boolean> {
  if (await db.selectFrom('partner_agreements').select('id').where('reference', '=', tools).executeTakeFirst()) return false;
  const org = async (name: string) => (await db.selectFrom('organisations').select('id').where('name', '=', name).executeTakeFirst())?.id;
  const user = async (email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst())?.id;
  const meridian = await org('Meridian Bank');
  const brazil = await org('Cyber Crime Unit, Federal Police (Brazil)');
  const analyst = await user('analyst@demo.cybercap.org');
  const investigator = await user('investigator.sg@demo.cybercap.org');
  if (!meridian || !brazil || !analyst || !investigator) return false;
  const now = clock.now();
  const at = iso(now);
  const day = (offset: number) => dayOf(new Date(now.getTime() + offset * 86400_000));
  const toolsId = newId();
  const secondmentAgreementId = newId();
  const walletOffer = newId();
  const secondmentId = newId();
  await db.transaction().execute(async (tx) => {
    const agreement = { organisation_id: meridian, status: 'active' as const, data_categories: '[]', max_tlp: null, created_at: at, updated_at: at };
    await tx
      .insertInto('partner_agreements')
      .values([
        { ...agreement, id: toolsId, kind: 'analysis_tools_and_data', title: 'Blockchain analytics and fraud datasets', reference: tools, starts_on: day(-60), ends_on: day(305) },
        { ...agreement, id: secondmentAgreementId, kind: 'expert_secondment', title: 'Fraud analyst exchange', reference: 'DEMO-SEC-2026-01', starts_on: day(-150), ends_on: day(24) },
      ])
      .execute();
    const offer = { organisation_id: meridian, agreement_id: toolsId, status: 'available' as const, created_at: at, updated_at: at };
    await tx
      .insertInto('partner_offers')
      .values([
        {
          ...offer,
          id: walletOffer,
          kind: 'tool',
          name: 'Wallet clustering service',
          description: 'Groups bitcoin and ethereum addresses by co-spending and exchange-deposit heuristics, with the exchanges they reach.',
          licence_terms: 'Law-enforcement investigations only. No redistribution; results may be quoted in case files with the source named.',
        },
        {
          ...offer,
          id: newId(),
          kind: 'dataset',
          name: 'Money-mule accounts 2024–2026',
          description: 'Accounts reported as money mules by the bank, with the dates and channels of the reports (pseudonymised holders).',
          licence_terms: 'Per-case use under a written request; delete copies when the case closes or after 90 days.',
        },
      ])
      .execute();
    await tx
      .insertInto('partner_access_requests')
      .values({ id: newId(), offer_id: walletOffer, user_id: investigator, purpose: 'Trace the ransom payment in the Silent Ledger extortion case.', status: 'pending', expires_on: null, decision_note: null, decided_by: null, decided_at: null, requested_at: at })
      .execute();
    await tx
      .insertInto('partner_secondments')
      .values({
        id: secondmentId,
        organisation_id: meridian,
        agreement_id: secondmentAgreementId,
        host_organisation_id: brazil,
        expert_name: 'Lina Costa',
        expert_email: 'lina.costa@meridian.example',
        starts_on: day(-90),
        ends_on: day(20),
        objectives: 'Set up the payment-fraud triage desk with the unit and train two analysts in tracing instant payments.',
        status: 'planned',
        created_at: at,
        updated_at: at,
      })
      .execute();
    await tx
      .insertInto('partner_secondment_reports')
      .values({
        id: newId(),
        secondment_id: secondmentId,
        period_start: day(-90),
        period_end: day(-30),
        body: 'Triage playbook written and adopted by the desk; 41 fraud reports triaged with the unit; first analyst trained.',
        author_user_id: analyst,
        attachment_name: null,
        attachment_media_type: null,
        attachment_size: null,
        attachment_sha256: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
  });
  return true;
}
