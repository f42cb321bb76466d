import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../kysely/database.js';
import { errorCode } from '../kysely/storage-adapter.js';
import type { JsonColumnType, StorageAdapter } from '../kysely/storage-adapter.js';
import { postgresSearchIndex } from './postgres-search.js';
import { writeSendBatch } from './postgres-send.js';
import { withPreparedStatements } from './prepared-statements.js';

/** Connections per server node. */
const POOL_MAX = 10;

/**
 * Kysely over a pg Pool for a `postgres://` or `postgresql://` URL. Nothing connects
 * before the first query.
 */
export function createPostgresDatabase(url: string): Kysely<Database> {
  // pg returns int8 (our bigint times, and count(*)) as strings. These parsers belong to
  // this pool only: the global pg.types.setTypeParser would change every pg user in the process.
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, parseSafeInteger);
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_MAX,
    types,
    // Without a timeout, a query waits forever for an unreachable host or a full pool.
    connectionTimeoutMillis: 10_000,
  });
  // An idle pooled connection that dies (server restart, network) is emitted here and
  // dropped from the pool; with no listener Node would crash the process. The next query
  // opens a new connection, or fails and reports the outage itself.
  pool.on('error', () => {});
  return new Kysely<Database>({
    dialect: new PostgresDialect({ pool: withPreparedStatements(pool) }),
  });
}

function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 ${text} does not fit a number`);
  return value;
}

/** Node socket errors met while connecting or talking to the server. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

/** SQLSTATEs of a server that cannot serve us, beyond class 08 (connection exception). */
const SERVER_CODES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '3D000', // invalid_catalog_name: the database does not exist
  '28000', // invalid_authorization_specification
  '28P01', // invalid_password
]);

/** pg reports a lost or timed-out connection with a plain Error and no code. */
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed/i;

export const postgresAdapter: StorageAdapter = {
  dialect: 'postgres',
  rowLocks: true,
  searchIndex: postgresSearchIndex,
  writeSendBatch,
  isUnavailable(error) {
    const code = errorCode(error);
    if (code !== undefined) {
      return SOCKET_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08');
    }
    return error instanceof Error && CONNECTION_MESSAGES.test(error.message);
  },
  jsonTable(rows, columns, alias) {
    // parley_json_rows (migration 012): the planner expects few rows, so joins probe the
    // other table's index instead of scanning it. json_to_record parses each element once;
    // `e ->> column` would scan its text again for every column.
    const fields = (Object.entries(columns) as [string, JsonColumnType][]).map(
      ([column, type]) => sql`${sql.id(column)} ${sql.raw(type)}`,
    );
    return sql<
      (typeof rows)[number]
    >`(select r.* from parley_json_rows(cast(${postgresAdapter.jsonParameter(rows, columns)} as json)) as e cross join lateral json_to_record(e) as r(${sql.join(fields)}))`.as(
      alias,
    );
  },
  jsonParameter(rows) {
    return JSON.stringify(rows);
  },
  async tryTransactionLock(trx, key) {
    const { rows } = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_xact_lock(${key}) as locked`.execute(trx);
    return rows[0]?.locked === true;
  },
};
