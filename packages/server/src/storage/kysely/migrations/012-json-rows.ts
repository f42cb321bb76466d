import { sql, type Kysely, type Migration } from 'kysely';
import type { StorageAdapter } from '../storage-adapter.js';

/**
 * PostgreSQL only: `parley_json_rows(json)`, the elements of a JSON array, which the planner
 * expects to be few (ROWS 4). The statements that take their rows as one JSON parameter
 * (the JSON tables of the send path, user and channel lookups) read from it instead of
 * `json_to_recordset`, which the planner takes for 100 rows: joined to a table it thinks
 * small (a new database, stale statistics), that chose a hash join over a scan of the whole
 * table — every message read once per send batch. PL/pgSQL, so that it is never inlined
 * and its estimate holds. SQLite reads JSON tables with json_each and needs nothing.
 */
export function jsonRowsMigration(adapter: StorageAdapter): Migration {
  return { up: (db) => ensureJsonRows(db, adapter) };
}

/**
 * Creates (or replaces) the function. Earlier migrations that fill columns through JSON
 * tables (003, 011) call it first: on a database older than 012 they run before it.
 */
export async function ensureJsonRows(db: Kysely<unknown>, adapter: StorageAdapter) {
  if (adapter.dialect !== 'postgres') return;
  await sql`create or replace function parley_json_rows(rows json) returns setof json
    language plpgsql immutable strict parallel safe rows 4
    as $$ begin return query select json_array_elements(rows); end $$`.execute(db);
}
