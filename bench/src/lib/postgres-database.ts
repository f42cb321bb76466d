import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { deferCleanup } from './cleanup.js';

/** Admin URL allowed to CREATE DATABASE; each run makes and drops its own database. */
export const POSTGRES_ADMIN_URL =
  process.env['PARLEY_BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh `parley_bench_<random>` database; `drop()` removes it (also run on cleanup). */
export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({
    connectionString: POSTGRES_ADMIN_URL,
    connectionTimeoutMillis: 3_000,
  });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** How often the bench analyzes its database when the server's autovacuum is off. */
const ANALYZE_EVERY_MS = 10_000;

export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `parley_bench_${randomBytes(6).toString('hex')}`;
  const autovacuum = await withAdmin(async (client) => {
    await client.query(`CREATE DATABASE ${name}`);
    return (await client.query<{ on: string }>(`SELECT current_setting('autovacuum') AS on`))
      .rows[0]?.on;
  });
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  // A PostgreSQL server with autovacuum off (this project's test machines) never updates
  // its statistics: the plans made for the empty tables of a new database then scan whole
  // tables that have grown since. Production servers run autovacuum; the bench stands in
  // for it, looking every ANALYZE_EVERY_MS for the tables autovacuum would analyze.
  // One at a time: an ANALYZE that waits (behind a VACUUM, say) is not joined by another
  // every round, each holding a connection (seen: 16 waiting at once behind a VACUUM of a large database).
  let analyzing = false;
  const analyzer =
    autovacuum === 'on'
      ? null
      : setInterval(() => {
          if (analyzing) return;
          analyzing = true;
          void analyze(url).finally(() => (analyzing = false));
        }, ANALYZE_EVERY_MS);
  analyzer?.unref();
  const drop = deferCleanup(async () => {
    if (analyzer !== null) clearInterval(analyzer);
    await withAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });
  return { url: url.toString(), drop };
}

async function analyze(url: URL): Promise<void> {
  const client = new pg.Client({
    connectionString: url.toString(),
    connectionTimeoutMillis: 3_000,
  });
  try {
    await client.connect();
    // Autovacuum's rule: a table changed in more rows than autovacuum_analyze_threshold
    // plus autovacuum_analyze_scale_factor of its rows since it was last analyzed. Not
    // every table every round: analyzing the search scenario's 1,000,000 messages (their
    // text sampled 300,000 rows deep) takes ~5 s of the database's CPU, half a core spent
    // every 10 s on a table no search changes.
    const { rows } = await client.query<{ name: string }>(`
      SELECT format('%I.%I', s.schemaname, s.relname) AS name
      FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
      WHERE s.n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float8
        + current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(c.reltuples, 0)`);
    for (const { name } of rows) await client.query(`ANALYZE ${name}`);
  } catch {
    // Dropped meanwhile, or busy: the next round tries again.
  } finally {
    await client.end().catch(() => undefined);
  }
}
