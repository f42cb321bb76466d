import path from 'node:path';
import type { ResolvedConfig } from '../config.js';
import type { BlobStore } from './blob-store.js';
import { createDiskBlobStore } from './disk/disk-blob-store.js';
import { createS3BlobStore } from './s3/s3-blob-store.js';

/** The folder of the disk store inside the data folder. */
export const FILES_DIR = 'files';

/** The store the configuration names: S3 when a bucket is set, else `<dataDir>/files`. */
export function createBlobStore(config: ResolvedConfig): BlobStore {
  if (config.s3 !== undefined) return createS3BlobStore(config.s3);
  return createDiskBlobStore({ root: path.join(config.dataDir, FILES_DIR) });
}
