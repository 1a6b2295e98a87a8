import { expect } from 'vitest';
import { signedIn, type TestClient, type TestEnv } from '../../test/harness.ts';
import { exerciseWithTeams, importScenario } from '../scoring/fixture.ts';

// Shared by the case-file integration tests (not a test file itself): the mini
// scenario with a prosecution model, a running exercise with two teams and its
// staff, and shortcuts for the case-file routes.

/** Two charges over the mini scenario: weights 2 + 1 and 1 (optional); 300 points. */
export const prosecution = (over: Record<string, unknown> = {}) => ({
  points: 300,
  partlyPercent: 50,
  charges: [
    {
      id: 'extortion',
      basis: { source: 'national', code: { en: 'Penal Code of the Republic of Cybercap' }, article: 'art. 312' },
      title: { en: 'Extortion', ar: 'الابتزاز' },
      elements: [
        { id: 'who', title: { en: 'Identity' }, rubric: { en: 'Tie the sender to a wallet.' }, weight: 2, facts: ['wallet'], exhibits: ['mail', 'image'], needs: { facts: 1, exhibits: 1 } },
        { id: 'gain', title: { en: 'Gain' }, rubric: { en: 'Follow the money.' }, weight: 1, facts: ['deposit'], exhibits: ['ledger'] },
      ],
    },
    {
      id: 'access',
      basis: { source: 'budapest', article: 2 },
      title: { en: 'Illegal access' },
      elements: [{ id: 'act', title: { en: 'The access' }, rubric: { en: 'Show the binary.' }, weight: 1, required: false, exhibits: ['image'], needs: { facts: 0, exhibits: 1 } }],
    },
  ],
  ...over,
});

let imports = 0;

export async function caseFileExercise(env: TestEnv, over: Record<string, unknown> = {}, options: Parameters<typeof exerciseWithTeams>[3] = {}) {
  const trainer = (await signedIn(env, { roles: ['trainer'] })).client;
  const scenarioId = await importScenario(env, trainer, { version: `1.0.${imports++}`, prosecution: prosecution(over) });
  const { exercise, teams } = await exerciseWithTeams(env, trainer, scenarioId, options);
  const [red, blue] = teams as [(typeof teams)[0], (typeof teams)[0]];
  const staff = async (role: 'expert' | 'trainer') => {
    const s = await signedIn(env, { roles: [role] });
    expect((await trainer.post(`/api/exercises/${exercise.id}/staff`, { userId: s.user.id, role })).status).toBe(200);
    return { client: s.client, userId: s.user.id };
  };
  return { exerciseId: exercise.id, trainer, red, blue, staff, base: `/api/exercises/${exercise.id}/case-file` };
}

export type Draft = { chargeId: string; elements: Array<{ elementId: string; finding?: string; facts?: string[]; exhibits?: string[]; reasoning?: string }> };

export async function save(client: TestClient, base: string, baseVersion: number, charges: Draft[]) {
  return client.put(base, { baseVersion, charges });
}

/** Saves and checks it worked; returns the case file. */
export async function saved(client: TestClient, base: string, baseVersion: number, charges: Draft[]) {
  const res = await save(client, base, baseVersion, charges);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Every case-file table's rows of the exercise, to show a refused request changed nothing. */
export async function caseFileRows(env: TestEnv) {
  const { db } = env.ctx.database;
  const all = async (t: 'case_files' | 'case_file_versions' | 'case_file_entities' | 'case_file_events' | 'case_file_evaluations') => db.selectFrom(t).selectAll().orderBy('id').execute();
  return {
    files: await all('case_files'),
    versions: await all('case_file_versions'),
    entities: await all('case_file_entities'),
    events: await all('case_file_events'),
    evaluations: await all('case_file_evaluations'),
    adjustments: await db.selectFrom('score_adjustments').selectAll().where('kind', '=', 'case_file').orderBy('id').execute(),
  };
}
