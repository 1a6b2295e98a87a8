import { expect } from 'vitest';
import { makeOrganisation, signedIn, type TestClient, type TestEnv } from '../../test/harness.ts';
import { miniPackage, uploadPackage } from '../../test/scenario-fixture.ts';

// Shared set-up of the scoring integration tests (not a test file itself).

export type Player = { id: string; name: string; inviteCode: string; client: TestClient; userId: string };

export async function importScenario(env: TestEnv, trainer: TestClient, over: Record<string, unknown> = {}): Promise<string> {
  const res = await uploadPackage(env.baseUrl, trainer, miniPackage(over));
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.scenario.id as string;
}

/** An exercise with one signed-in participant per team (more members with `members`), started unless told otherwise. */
export async function exerciseWithTeams(
  env: TestEnv,
  trainer: TestClient,
  scenarioId: string,
  options: { teams?: string[]; mode?: 'competition' | 'training'; freezeMinutes?: number; durationMinutes?: number; start?: boolean; countries?: string[] } = {},
) {
  const body: Record<string, unknown> = { scenarioId, title: 'Scoring run', mode: options.mode ?? 'competition' };
  if (options.freezeMinutes) body.freezeMinutes = options.freezeMinutes;
  if (options.durationMinutes) body.durationMinutes = options.durationMinutes;
  const created = await trainer.post('/api/exercises', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const exercise = created.body as { id: string };
  const teams: Player[] = [];
  for (const [i, name] of (options.teams ?? ['Red', 'Blue']).entries()) {
    const team = (await trainer.post(`/api/exercises/${exercise.id}/teams`, { name })).body;
    const player = await joinTeam(env, team.inviteCode, options.countries?.[i]);
    teams.push({ id: team.id, name, inviteCode: team.inviteCode, client: player.client, userId: player.userId });
  }
  if (options.start !== false) expect((await trainer.post(`/api/exercises/${exercise.id}/control`, { action: 'start' })).status).toBe(200);
  return { exercise, teams };
}

export async function joinTeam(env: TestEnv, inviteCode: string, countryCode?: string) {
  const organisationId = countryCode ? (await makeOrganisation(env, { countryCode })).id : undefined;
  const { user, client } = await signedIn(env, { roles: ['participant'], ...(organisationId ? { organisationId } : {}) });
  expect((await client.post('/api/teams/join', { code: inviteCode })).status).toBe(200);
  return { client, userId: user.id };
}

/** The team's own values of the scenario's variables (what its answers must say). */
export async function valuesOf(env: TestEnv, teamId: string): Promise<Record<string, string>> {
  const row = await env.ctx.database.db.selectFrom('teams').select('variables').where('id', '=', teamId).executeTakeFirstOrThrow();
  return JSON.parse(row.variables) as Record<string, string>;
}

export const answer = (client: TestClient, exerciseId: string, objectiveKey: string, value: string) => client.post(`/api/exercises/${exerciseId}/objectives/${objectiveKey}/answers`, { answer: value });

export type StreamEvent = { type: string; data: Record<string, any> };

/** Reads a Server-Sent Events stream with fetch, as a browser's EventSource would. */
export async function openEvents(baseUrl: string, client: TestClient, exerciseId: string) {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/api/exercises/${exerciseId}/events`, { headers: client.cookie ? { cookie: client.cookie } : {}, signal: controller.signal });
  const events: StreamEvent[] = [];
  const waiters: Array<() => void> = [];
  let ended = false;
  const pump = async () => {
    if (!res.body) return;
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = frame.match(/^event: (.*)$/m)?.[1];
          const data = frame.match(/^data: (.*)$/m)?.[1];
          if (type && data) events.push({ type, data: JSON.parse(data) });
          for (const wake of waiters.splice(0)) wake();
        }
      }
    } catch {
      // aborted
    }
    ended = true;
    for (const wake of waiters.splice(0)) wake();
  };
  if (res.status === 200) void pump();
  return {
    status: res.status,
    headers: res.headers,
    events,
    ended: () => ended,
    /** The first event (from `from` on) matching, or an error after `timeoutMs`. */
    async next(match: (e: StreamEvent) => boolean, timeoutMs = 1000, from = 0): Promise<StreamEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.slice(from).find(match);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0 || ended) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.type))}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close: () => controller.abort(),
  };
}
