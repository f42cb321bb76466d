import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScenarioParam } from '../scenario.js';
import { createBenchDatabase } from './postgres-database.js';

/** The databases Parley runs on, as named in a scenario's `storages` param. */
export type Storage = 'sqlite' | 'postgres';

/** Parses `sqlite,postgres`; throws on an unknown name. */
export function storagesOf(param: string): Storage[] {
  return param
    .split(',')
    .filter(Boolean)
    .map((name) => {
      if (name !== 'sqlite' && name !== 'postgres') throw new Error(`unknown storage ${name}`);
      return name;
    });
}

/** The `storages` param of scenarios that run on each database. */
export const STORAGES_PARAM: ScenarioParam = {
  quick: 'sqlite,postgres',
  full: 'sqlite,postgres',
  doc: 'comma-separated: sqlite, postgres',
};

/** Where a server of one run keeps its data: a fresh folder, and a fresh database on PostgreSQL. */
export interface StoragePlace {
  dataDir: string;
  /** Undefined on SQLite (the file lives in `dataDir`). */
  databaseUrl: string | undefined;
}

/** Runs `work` on a fresh place for `storage`, dropped afterwards whatever happens. */
export async function withStoragePlace<T>(
  storage: Storage,
  work: (place: StoragePlace) => Promise<T>,
): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
  const database = storage === 'postgres' ? await createBenchDatabase() : undefined;
  try {
    return await work({ dataDir, databaseUrl: database?.url });
  } finally {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
