import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { PLANNED_PER_CALL } from '../kysely/message-search.js';

/**
 * How many statement texts get a name. Bounded because each costs memory on every
 * connection that ran it; the texts used first (the hot ones, from the first requests)
 * get the names, and the rest run unnamed as before.
 */
const MAX_NAMED = 256;

/** What PostgreSQL answers when a table changed under a prepared `select *`. */
const STALE_PLAN = /cached plan must not change result type/;

/**
 * A pg pool whose clients run queries as named prepared statements, so PostgreSQL parses
 * and plans each statement once per connection instead of at every call: planning was a
 * fifth of the database's CPU time under a flood of sends.
 *
 * A migration run by another node while this one serves can change a table under a
 * prepared `select *`; that query then fails once and its connection is dropped, so the
 * next one prepares afresh.
 */
export function withPreparedStatements(pool: pg.Pool): PostgresPool {
  const names = new Map<string, string>();
  const nameOf = (text: string): string | undefined => {
    let name = names.get(text);
    if (
      name === undefined &&
      names.size < MAX_NAMED &&
      !text.endsWith(PLANNED_PER_CALL) &&
      /^\s*(select|insert|update|delete|with)\b/i.test(text)
    ) {
      name = `parley_${names.size + 1}`;
      names.set(text, name);
    }
    return name;
  };
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let stale = false;
    const query = async (text: string, values: unknown[]) => {
      const name = nameOf(text);
      try {
        return await (name === undefined
          ? client.query(text, values)
          : client.query({ name, text, values }));
      } catch (error) {
        if (error instanceof Error && STALE_PLAN.test(error.message)) stale = true;
        throw error;
      }
    };
    return {
      // Kysely streams through a cursor object; everything else comes as text and values.
      query: ((textOrCursor: string | pg.Submittable, values: unknown[]) =>
        typeof textOrCursor === 'string'
          ? query(textOrCursor, values)
          : client.query(textOrCursor)) as unknown as PostgresPoolClient['query'],
      release: (destroy?: boolean) => {
        if (stale) wrappers.delete(client);
        client.release(stale || destroy);
      },
    };
  };
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (wrapper === undefined) wrappers.set(client, (wrapper = wrap(client)));
      return wrapper;
    },
    end: () => pool.end(),
  };
}
