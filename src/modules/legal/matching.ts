import type { LegalParty, LegalResponse } from '../scenarios/definition.ts';
import { renderTemplate } from '../scenarios/templates.ts';
import { normaliseIdentifier } from './identifiers.ts';
import { hasJustification, type LegalRequestCreate } from './schemas.ts';

// Which of a party's responses a request matches (docs/scenario-format.md,
// "Legal parties"): the first whose types include the request's type, whose
// identifier (rendered with the team's values) is among the request's — same
// kind, same value once normalised, and for a timed identifier an activity time
// within the tolerance — and whose justification rule is met. None: refused.

type Values = Readonly<Record<string, string>>;
type RequestToMatch = Pick<LegalRequestCreate, 'type' | 'identifiers' | 'justification'>;

function identifierMatches(response: LegalResponse, given: RequestToMatch['identifiers'][number], values: Values): boolean {
  const expected = response.identifier;
  if (given.kind !== expected.kind) return false;
  if (normaliseIdentifier(expected.kind, given.value) !== normaliseIdentifier(expected.kind, renderTemplate(expected.value, values))) return false;
  if (expected.at === undefined) return true;
  if (!given.at) return false;
  const want = Date.parse(renderTemplate(expected.at, values));
  const got = Date.parse(given.at);
  if (Number.isNaN(want) || Number.isNaN(got)) return false;
  return Math.abs(got - want) <= expected.toleranceMinutes * 60_000;
}

export function responseMatches(response: LegalResponse, request: RequestToMatch, values: Values): boolean {
  if (!response.types.includes(request.type)) return false;
  if (response.requireJustification && !hasJustification(request.justification)) return false;
  return request.identifiers.some((given) => identifierMatches(response, given, values));
}

/** The response the party gives to this request, or null when it refuses it. */
export function matchResponse(party: LegalParty, request: RequestToMatch, values: Values): LegalResponse | null {
  return party.responses.find((r) => responseMatches(r, request, values)) ?? null;
}
