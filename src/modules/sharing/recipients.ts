import type { Db } from '../../core/db/index.ts';
import { sharingAgreementsInForce } from '../partners/agreements.ts';

/** Active organisations a reporter may name: police units, and partners whose data-sharing agreement is in force. */
export async function recipientOptions(db: Db, at: Date, ownOrganisationId: string, search?: string) {
  let q = db.selectFrom('organisations').select(['id', 'name', 'kind', 'country_code']).where('status', '=', 'active').where('id', '!=', ownOrganisationId);
  if (search) q = q.where((eb) => eb(eb.fn('lower', ['name']), 'like', `%${search.toLowerCase().replace(/[%_]/g, '')}%`));
  const rows = await q.orderBy('name').limit(200).execute();
  const out: Array<{ id: string; name: string; kind: 'police_unit' | 'partner'; countryCode: string }> = [];
  for (const r of rows) {
    if (r.kind === 'partner' && (await sharingAgreementsInForce(db, r.id, at)).length === 0) continue;
    out.push({ id: r.id, name: r.name, kind: r.kind, countryCode: r.country_code });
    if (out.length === 100) break;
  }
  return out;
}
