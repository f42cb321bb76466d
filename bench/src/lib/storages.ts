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
