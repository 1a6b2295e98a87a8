import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../index.ts';

// Evidence locker and chain of custody: the head of each exercise's custody
// chain (its last position and hash), written in the same transaction as every
// append. The chain itself shows a changed, removed or inserted entry; the head
// also shows entries removed from the end, which the chain alone cannot.
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('custody_heads')
    .addColumn('exercise_id', 'text', (c) => c.primaryKey().references('exercises.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  // Chains written before this migration get their head from their last entry.
  await sql`
    insert into custody_heads (exercise_id, position, hash, updated_at)
    select c.exercise_id, c.position, c.hash, c.occurred_at from custody_log c
    where c.position = (select max(d.position) from custody_log d where d.exercise_id = c.exercise_id)`.execute(db);

  // A head only moves forward and is never removed.
  if (dialect === 'sqlite') {
    await sql.raw(`CREATE TRIGGER custody_heads_forward BEFORE UPDATE ON custody_heads WHEN NEW.position <= OLD.position OR NEW.exercise_id <> OLD.exercise_id BEGIN SELECT RAISE(ABORT, 'custody_heads only move forward'); END`).execute(db);
    await sql.raw(`CREATE TRIGGER custody_heads_no_delete BEFORE DELETE ON custody_heads BEGIN SELECT RAISE(ABORT, 'custody_heads only move forward'); END`).execute(db);
  } else {
    await sql
      .raw(
        `CREATE FUNCTION custody_heads_forward() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
           IF TG_OP = 'DELETE' OR NEW.position <= OLD.position OR NEW.exercise_id <> OLD.exercise_id THEN RAISE EXCEPTION 'custody_heads only move forward'; END IF;
           RETURN NEW;
         END $$`,
      )
      .execute(db);
    await sql.raw(`CREATE TRIGGER custody_heads_forward BEFORE UPDATE OR DELETE ON custody_heads FOR EACH ROW EXECUTE FUNCTION custody_heads_forward()`).execute(db);
  }
}
