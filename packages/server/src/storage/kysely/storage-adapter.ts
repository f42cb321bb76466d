import type { AliasedRawBuilder } from 'kysely';

/** A column type of a JSON table. */
export type JsonColumnType = 'text' | 'integer' | 'bigint';

/** A row of a JSON table: plain values only (interfaces qualify, unlike with a Record). */
export type JsonRow<R> = { [K in keyof R]: string | number | null };

/**
 * What KyselyStorage needs to know about a database beyond its Kysely dialect. Queries are
 * written once; anything that differs between databases is a member here, never a
 * `dialect === 'postgres'` test in the storage code.
 */
export interface StorageAdapter {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * True when the error means the database cannot be reached or cannot work (connection
   * refused or lost, file not openable, disk full) rather than a bad query: such errors
   * become StorageUnavailableError.
   */
  isUnavailable(error: unknown): boolean;
  /**
   * `rows` as a derived table named `alias`, passed as one JSON parameter and typed by
   * `columns`. A batch of any size is then one and the same statement, prepared once,
   * where a VALUES list or an IN list would make a new statement for every size.
   */
  jsonTable<R extends JsonRow<R>, A extends string>(
    rows: readonly R[],
    columns: { readonly [K in keyof R & string]: JsonColumnType },
    alias: A,
  ): AliasedRawBuilder<R, A>;
  /** The one parameter that `jsonTable(rows, columns, …)` binds. */
  jsonParameter<R extends JsonRow<R>>(
    rows: readonly R[],
    columns: { readonly [K in keyof R & string]: JsonColumnType },
  ): string;
}

/** The `code` of a Node system error or a driver error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
