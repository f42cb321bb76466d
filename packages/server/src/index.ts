export { createParleyServer, type ParleyServer, type ServerParts } from './server.js';
export {
  DEFAULT_UPLOAD_TYPES,
  resolveConfig,
  type Limits,
  type ResolvedConfig,
  type S3Options,
  type ServerOptions,
} from './config.js';
export { TokenVerifier, type Principal } from './auth/tokens.js';
export type { Bus, BusMessage, BusHandler } from './bus/bus.js';
export type { PresenceTracker } from './presence/presence-tracker.js';
export type { TypingTracker } from './typing/typing-tracker.js';
export type { Storage } from './storage/storage.js';
export { cjkBigramsOf, searchTextOf } from './search/search-text.js';
export type { BlobStore, ByteRange } from './blobs/blob-store.js';
export { createDiskBlobStore, type DiskBlobStoreOptions } from './blobs/disk/disk-blob-store.js';
export { createS3BlobStore, type S3BlobStoreOptions } from './blobs/s3/s3-blob-store.js';
