export type * from './storage.js';
export * from './storage-errors.js';
export { createStorage, SQLITE_FILE_NAME } from './create-storage.js';
export type { StorageOptions } from './create-storage.js';
export { channelCursorOf } from './kysely/channel-cursor.js';
