import type { Kysely } from 'kysely';
import type { Dialect } from '../index.ts';

// The case file of each team: the findings document (JSON) with its current
// version, every draft save kept whole, the entities and timeline events the
// team records (each citation with the hash of the team's copy when cited), and
// the experts' evaluations.
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('case_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('exercise_id', 'text', (c) => c.notNull().references('exercises.id'))
    .addColumn('team_id', 'text', (c) => c.notNull().unique().references('teams.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('saved_at', 'text')
    .addColumn('saved_by', 'text', (c) => c.references('users.id'))
    .addColumn('submitted_at', 'text')
    .addColumn('submitted_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_files_exercise').on('case_files').columns(['exercise_id']).execute();

  await db.schema
    .createTable('case_file_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_file_id', 'text', (c) => c.notNull().references('case_files.id'))
    .addColumn('exercise_id', 'text', (c) => c.notNull().references('exercises.id'))
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('saved_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('case_file_versions_number', ['case_file_id', 'version'])
    .execute();
  await db.schema.createIndex('case_file_versions_exercise').on('case_file_versions').columns(['exercise_id', 'saved_at']).execute();

  for (const table of ['case_file_entities', 'case_file_events'] as const) {
    let t = db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('case_file_id', 'text', (c) => c.notNull().references('case_files.id'))
      .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'));
    t =
      table === 'case_file_entities'
        ? t.addColumn('kind', 'text', (c) => c.notNull()).addColumn('value', 'text', (c) => c.notNull()).addColumn('label', 'text').addColumn('note', 'text')
        : t.addColumn('at', 'text', (c) => c.notNull()).addColumn('description', 'text', (c) => c.notNull());
    await t
      .addColumn('exhibit_key', 'text')
      .addColumn('sha256', 'text')
      .addColumn('cited_at', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex(`${table}_case_file`).on(table).columns(['case_file_id', 'created_at']).execute();
  }

  await db.schema
    .createTable('case_file_evaluations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_file_id', 'text', (c) => c.notNull().references('case_files.id'))
    .addColumn('exercise_id', 'text', (c) => c.notNull().references('exercises.id'))
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('evaluator_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('verdicts', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('case_file_evaluations_round', ['case_file_id', 'round'])
    .execute();
  await db.schema.createIndex('case_file_evaluations_exercise').on('case_file_evaluations').columns(['exercise_id', 'created_at']).execute();
}
