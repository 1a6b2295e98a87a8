import type { CompiledQuery, Compilable, RawBuilder } from 'kysely';
import type { Db, Dialect, Tx } from './index.ts';

// Hot statements (every request's session, the answer path), built and compiled by Kysely once
// per engine and then run with new arguments: building and compiling a query took longer than
// SQLite takes to run it (~60 µs for the answer's part, exercise and team). The query is built with a placeholder for
// each argument; each run puts the arguments where the placeholders came out. Everything else in
// the query is fixed by the first build, so a query whose shape depends on its arguments (a list
// of varying length) needs one prepared query per shape.

const placeholder = (i: number) => `\u0000argument ${i}\u0000`;
const slotOf = (value: unknown): number | null => {
  if (typeof value !== 'string' || !value.startsWith('\u0000argument ') || !value.endsWith('\u0000')) return null;
  return Number(value.slice('\u0000argument '.length, -1));
};

type Compiled = { compiled: CompiledQuery; slots: Array<number | null> };

export type Prepared<A extends unknown[], R> = (db: Db | Tx, dialect: Dialect, ...args: A) => Promise<R[]>;

export function prepared<A extends unknown[], R>(build: (db: Db | Tx, ...args: A) => Compilable<R> | RawBuilder<R>): Prepared<A, R> {
  const byDialect = new Map<Dialect, Compiled>();
  return async (db, dialect, ...args) => {
    let p = byDialect.get(dialect);
    if (!p) {
      // A raw `sql` query compiles with the executor; a query builder ignores the argument.
      const compiled = (build(db, ...(args.map((_, i) => placeholder(i)) as A)) as { compile: (executorProvider: Db | Tx) => CompiledQuery }).compile(db);
      const slots = compiled.parameters.map(slotOf);
      const used = new Set(slots.filter((s) => s !== null));
      if (used.size !== args.length) throw new Error(`prepared: ${args.length - used.size} argument(s) did not come out as parameters in ${compiled.sql}`);
      p = { compiled, slots };
      byDialect.set(dialect, p);
    }
    const { compiled, slots } = p;
    const parameters = slots.map((slot, i) => (slot === null ? compiled.parameters[i] : args[slot]));
    return (await db.executeQuery<R>({ ...compiled, parameters })).rows;
  };
}
