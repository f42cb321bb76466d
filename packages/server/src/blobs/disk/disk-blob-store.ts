import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir, open, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BlobSizeMismatchError,
  checkBlobKey,
  type BlobStore,
  type ByteRange,
} from '../blob-store.js';

/** What the disk store needs. */
export interface DiskBlobStoreOptions {
  /** The folder blobs are kept in, created if missing (the server uses `<dataDir>/files`). */
  root: string;
}

/** Unfinished writes: renamed into place when complete, so a reader never sees half a blob. */
const PARTIAL_DIR = '.partial';

/** Files in a folder of the local disk: the default store, which needs nothing else. */
export function createDiskBlobStore(options: DiskBlobStoreOptions): BlobStore {
  const root = path.resolve(options.root);
  const partialDir = path.join(root, PARTIAL_DIR);
  // Keys are checked, and resolved paths must stay inside the root all the same.
  const fileOf = (key: string) => {
    const file = path.resolve(root, checkBlobKey(key));
    if (!file.startsWith(root + path.sep)) throw new Error(`blob key ${key} leaves the store`);
    return file;
  };

  return {
    async put(key, body, info) {
      const file = fileOf(key);
      await mkdir(partialDir, { recursive: true });
      const partial = path.join(partialDir, randomBytes(12).toString('hex'));
      let written = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          written += chunk.length;
          if (written > info.size) done(new BlobSizeMismatchError(info.size, written));
          else done(null, chunk);
        },
      });
      try {
        await pipeline(body, counter, createWriteStream(partial, { flags: 'wx' }));
        if (written !== info.size) throw new BlobSizeMismatchError(info.size, written);
        await fsync(partial);
        await mkdir(path.dirname(file), { recursive: true });
        await rename(partial, file);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },

    async get(key, range?: ByteRange) {
      const file = fileOf(key);
      // Opened before answering, so that a missing blob is null rather than a stream that
      // fails later.
      const stream = createReadStream(file, range ?? {});
      try {
        await once(stream, 'open');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      return stream;
    },

    async delete(keys) {
      for (const key of keys) {
        try {
          await unlink(fileOf(key));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    },

    async close() {},
  };
}

/** A blob is acknowledged only once its bytes are on the disk, like a message. */
async function fsync(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
