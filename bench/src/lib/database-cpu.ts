import { readdirSync } from 'node:fs';
import pg from 'pg';
import { readProcStat } from './proc-stats.js';

/**
 * PostgreSQL's CPU over a measured window, read from /proc: the server process and every
 * backend. A scenario on PostgreSQL spends CPU in two processes, and on a shared 2-core
 * machine the database's share is what the server's figure leaves out (a search: the
 * server's CPU per request is a fraction of what the request costs the machine).
 */
export interface DatabaseCpuMeter {
  start(): void;
  /** CPU seconds PostgreSQL used since `start()`; null where it cannot be read. */
  stop(): number | null;
}

/**
 * A meter for the PostgreSQL server behind `url` (null on SQLite, whose `url` is
 * undefined: its work is the server's), one that reads null when that server is not a
 * process of this machine (or /proc is missing). Its postmaster is found as the parent of
 * the backend serving one connection. `start()` again begins a new window.
 */
export async function databaseCpuMeter(url: string | undefined): Promise<DatabaseCpuMeter | null> {
  if (url === undefined) return null;
  const postmaster = await postmasterOf(url);
  let before: number | null = null;
  const read = () => (postmaster === null ? null : cpuOfTree(postmaster));
  return {
    start() {
      before = read();
    },
    stop() {
      const after = read();
      return after === null || before === null ? null : Math.round((after - before) * 100) / 100;
    },
  };
}

async function postmasterOf(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const backend = rows[0]?.pid;
    const stat = backend === undefined ? null : readProcStat(backend);
    // A remote server's backend pid is some other process here, or none.
    if (stat === null || stat.name !== 'postgres') return null;
    const parent = readProcStat(stat.parent);
    return parent !== null && parent.name === 'postgres' ? stat.parent : null;
  } finally {
    await client.end();
  }
}

/** The postmaster's CPU, its backends' (live ones read directly, ended ones reaped into it). */
function cpuOfTree(postmaster: number): number | null {
  const root = readProcStat(postmaster);
  if (root === null) return null;
  let total = root.cpuSeconds + root.reapedSeconds;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === postmaster) continue;
    const stat = readProcStat(pid);
    if (stat !== null && stat.parent === postmaster) total += stat.cpuSeconds;
  }
  return total;
}

/** `seconds` of CPU spread over `count` requests, in ms each (2 decimals); null if unknown. */
export const msEach = (seconds: number | null, count: number) => each(seconds, count, 1e3, 2);

/** `seconds` of CPU spread over `count` messages, in µs each (1 decimal); null if unknown. */
export const usEach = (seconds: number | null, count: number) => each(seconds, count, 1e6, 1);

function each(seconds: number | null, count: number, unit: number, decimals: number) {
  if (seconds === null || count === 0) return null;
  const scale = 10 ** decimals;
  return Math.round(((seconds * unit) / count) * scale) / scale;
}
