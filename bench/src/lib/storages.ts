import type { ScenarioParam } from '../scenario.js';

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
