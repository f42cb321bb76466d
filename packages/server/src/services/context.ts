import type { FastifyBaseLogger } from 'fastify';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Bus } from '../bus/bus.js';
import type { ResolvedConfig } from '../config.js';
import type { Metrics } from '../metrics.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import type { Storage, UserRecord } from '../storage/storage.js';
import type { Readiness } from '../readiness.js';
import type { TypingHints } from '../typing/typing-hints.js';
import type { TypingTracker } from '../typing/typing-tracker.js';
import type { RateLimits } from '../rate-limits/rate-limits.js';
import type { FileUrls } from '../uploads/file-urls.js';
import type { AccessControl } from '../permissions/access-control.js';

/** What every service needs; built once per server. */
export interface ServiceContext {
  config: ResolvedConfig;
  storage: Storage;
  bus: Bus;
  presence: PresenceTracker;
  typing: TypingTracker;
  /** Whether asking `typing` can find a state (fed by the bus's typing events). */
  typingHints: TypingHints;
  metrics: Metrics;
  rateLimits: RateLimits;
  logger: FastifyBaseLogger;
  readiness: Readiness;
  /** Where uploaded files' bytes are. */
  blobs: BlobStore;
  /** Signs the file URLs handed to readers. */
  fileUrls: FileUrls;
  /** Every permission decision (channel types, bans, mutes, blocks, freeze, slow mode). */
  access: AccessControl;
}

/** Who performs a call: the app backend, or an authenticated user. */
export type Actor = { kind: 'server' } | { kind: 'user'; user: UserRecord };
