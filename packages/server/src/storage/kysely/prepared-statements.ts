import { createQueryId } from 'kysely';
import type { CompiledQuery, Compilable, Kysely } from 'kysely';
import type { Database } from './database.js';

/**
 * Statements built and compiled once per shape, then run with new values: the reads every
 * history page makes (the page, the reader's membership). Kysely's builder and compiler
 * took ~50 µs of each page's CPU, 3 % of a history request, to produce the same SQL text
 * every time. (JsonStatements does the same for statements whose one value is a table.)
 */

/** Stands for the `index`th value of a run in the statement compiled for every run. */
class Slot {
  constructor(readonly index: number) {}
}

const compiledByDb = new WeakMap<Kysely<Database>, Map<string, CompiledQuery>>();

/**
 * Runs the statement `name` with `values`. `build` receives a stand-in for each value and
 * must use them as values only (never to choose the query's shape): the first run checks
 * that building with the real values gives the same SQL and parameters, and a statement
 * that does not is built afresh at every run.
 */
export async function executePrepared<O, V extends readonly unknown[]>(
  db: Kysely<Database>,
  name: string,
  values: V,
  build: (...values: V) => Compilable<O>,
): Promise<O[]> {
  // A transaction is a Kysely of its own, short-lived: it runs the statement as built.
  if (db.isTransaction) return (await db.executeQuery(build(...values).compile())).rows;
  let compiled = compiledByDb.get(db);
  if (compiled === undefined) compiledByDb.set(db, (compiled = new Map()));
  const cached = compiled.get(name);
  if (cached !== undefined) {
    const query: CompiledQuery<O> = {
      ...(cached as CompiledQuery<O>),
      parameters: cached.parameters.map((p) => (p instanceof Slot ? values[p.index] : p)),
      queryId: createQueryId(),
    };
    return (await db.executeQuery(query)).rows;
  }
  const query = build(...values).compile();
  const slots = values.map((_, i) => new Slot(i)) as unknown as V;
  const template = build(...slots).compile();
  const bound = template.parameters.map((p) => (p instanceof Slot ? values[p.index] : p));
  if (
    template.sql === query.sql &&
    bound.length === query.parameters.length &&
    bound.every((p, i) => Object.is(p, query.parameters[i]))
  ) {
    compiled.set(name, template as CompiledQuery);
  }
  return (await db.executeQuery(query)).rows;
}
