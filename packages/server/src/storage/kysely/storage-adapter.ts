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
}

/** The `code` of a Node system error or a driver error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
