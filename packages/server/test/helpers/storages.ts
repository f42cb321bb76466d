import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export type StorageKind = 'sqlite' | 'postgres';

/** Admin connection used to create and drop one database per test storage (trust auth in dev). */
const ADMIN_URL =
  process.env['PARLEY_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function redacted(url: string): string {
  return url.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function postgresReachable(): Promise<unknown> {
  try {
    await withAdmin((client) => client.query('select 1'));
    return null;
  } catch (error) {
    return error;
  }
}

const postgresError = await postgresReachable();
if (postgresError !== null) {
  const reason = postgresError instanceof Error ? postgresError.message : String(postgresError);
  if (process.env['CI'] === 'true') {
    throw new Error(
      `PostgreSQL at ${redacted(ADMIN_URL)} is unreachable (${reason}); CI must run its suite`,
    );
  }
  console.warn(
    [
      '',
      '************************************************************************',
      '*  PostgreSQL test suites are SKIPPED: storage-backed tests run on SQLite only.',
      `*  ${redacted(ADMIN_URL)} is unreachable: ${reason}`,
      '*  To run them, start PostgreSQL (15+) with trust auth for that user, or set',
      '*  PARLEY_TEST_POSTGRES_URL to an admin URL allowed to CREATE DATABASE.',
      '*  In CI (CI=true) an unreachable PostgreSQL fails the run instead.',
      '************************************************************************',
      '',
    ].join('\n'),
  );
}

/** sqlite always; postgres when reachable. */
export const STORAGE_KINDS: StorageKind[] =
  postgresError === null ? ['sqlite', 'postgres'] : ['sqlite'];

/** A fresh, empty database for one test file/server: a temp data dir (sqlite) or a brand-new PostgreSQL database. */
export async function createTestStorageConfig(
  kind: StorageKind,
): Promise<{ dataDir: string; databaseUrl: string | undefined; cleanup(): Promise<void> }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-test-'));
  const removeDataDir = () => rm(dataDir, { recursive: true, force: true });
  if (kind === 'sqlite') return { dataDir, databaseUrl: undefined, cleanup: removeDataDir };

  // Lowercase hex only: the name needs no quoting rules beyond the double quotes.
  const name = `parley_test_${randomBytes(8).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    dataDir,
    databaseUrl: url.toString(),
    async cleanup() {
      // FORCE (PostgreSQL 13+) ends the connections a test left open.
      await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      await removeDataDir();
    },
  };
}
