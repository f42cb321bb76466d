import type { Readable } from 'node:stream';

/** A byte range, both ends included (as in HTTP `Range: bytes=start-end`). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where the bytes of uploaded files live. Keys are chosen by the server (see
 * {@link checkBlobKey}); a blob is written whole or not at all and never changes after.
 */
export interface BlobStore {
  /**
   * Stores `body` under `key`. Resolves once the blob is durable; until then nobody can read
   * it. If the body fails or does not have exactly `size` bytes, nothing is stored.
   */
  put(key: string, body: Readable, info: { size: number; contentType: string }): Promise<void>;
  /** The blob's bytes (or those of `range`), or null when there is no such blob. */
  get(key: string, range?: ByteRange): Promise<Readable | null>;
  /** Removes blobs; keys that do not exist are ignored. */
  delete(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** Keys are path-like (`uploads/ab/<id>`), from a safe alphabet, with no empty, `.` or `..` segment. */
const KEY = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(?:\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** Throws unless `key` is a valid blob key; what makes path traversal impossible in any store. */
export function checkBlobKey(key: string): string {
  if (key.length > 512 || !KEY.test(key) || key.split('/').some((s) => s === '.' || s === '..')) {
    throw new Error(`invalid blob key ${JSON.stringify(key.slice(0, 80))}`);
  }
  return key;
}

/** Thrown by `put` when the body's length is not the size announced. */
export class BlobSizeMismatchError extends Error {
  constructor(
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`the blob has ${actual} bytes, not the ${expected} announced`);
    this.name = 'BlobSizeMismatchError';
  }
}
