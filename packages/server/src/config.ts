import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { DEFAULT_LIMITS } from '@parley/protocol';
import {
  checkNodeId,
  checkRedisUrl,
  checkS3,
  checkSmtpUrl,
  searchConcurrencyOf,
  splitList,
} from './config-checks.js';
import { parseWebhookEntry } from './notifications/webhook-endpoints.js';

/** Limits enforced on every input; see docs/protocol.md. */
export interface Limits {
  /** Longest message text in Unicode code points. Default 5,000. */
  maxMessageLength: number;
  /** Largest REST body in bytes. Default 256 KiB. */
  maxBodyBytes: number;
  /** Largest WebSocket frame in bytes; larger frames get a `frame_too_large` error. Default 64 KiB. */
  maxFrameBytes: number;
  /** Largest custom data object in bytes of JSON. Default 16 KiB. */
  maxCustomDataBytes: number;
  /** Messages one user may send per `rateWindowMs`. Default 100. 0 disables. */
  messagesPerWindow: number;
  /** REST requests one user (or IP, before auth) may make per `rateWindowMs`. Default 1,000. 0 disables. */
  requestsPerWindow: number;
  /** The rate-limit window in milliseconds. Default 10,000. */
  rateWindowMs: number;
  /** How long after sending an author may edit a message's text or data; 0 (default): always. */
  editWindowMs: number;
  /** Most distinct reaction types on one message. Default 25. */
  maxReactionTypes: number;
  /** Largest uploaded file in bytes. Default 25 MiB. */
  maxUploadBytes: number;
  /** Most pixels of an uploaded image (all frames together); more is refused as a decompression bomb. Default 50 million. */
  maxImagePixels: number;
  /** Uploads one user may make per `rateWindowMs`. Default 20. 0 disables. */
  uploadsPerWindow: number;
}

/** Where uploaded files are kept when not on the local disk: any S3-compatible store. */
export interface S3Options {
  /** The bucket; it must exist. */
  bucket: string;
  /** `https://…` of an S3-compatible service (MinIO, Ceph, R2, …); unset for AWS itself. */
  endpoint?: string | undefined;
  /** Default `us-east-1` (what most S3-compatible services expect). */
  region?: string | undefined;
  /** Address buckets as `endpoint/bucket/key` rather than `bucket.endpoint/key`. Default true when an endpoint is set. */
  forcePathStyle?: boolean | undefined;
  /** Prefix of every object key, so deployments can share a bucket. Default none. */
  keyPrefix?: string | undefined;
}

/** Everything `createParleyServer` accepts. Every field has a default. */
export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 3030. */
  port?: number;
  /** Interface to listen on. Default `0.0.0.0`. */
  host?: string;
  /** Folder for the SQLite file and the generated secret. Default `./data`. */
  dataDir?: string;
  /** `postgres://…` to use PostgreSQL; unset for SQLite in `dataDir`. */
  databaseUrl?: string | undefined;
  /** The app's public key; clients may send it as `api_key`. Default: generated and kept in `dataDir`. */
  apiKey?: string | undefined;
  /** The app secret that signs tokens (at least 32 characters). Default: generated and kept in `dataDir`. */
  secret?: string | undefined;
  /** Interval of server heartbeats in ms; a connection silent for two of them is closed. Default 25,000. */
  heartbeatIntervalMs?: number;
  /** A typing state without `typing.stop` ends after this long. Default 7,000 ms. */
  typingTimeoutMs?: number;
  /** Bytes queued on one socket before it is closed as a slow consumer. Default 4 MiB. */
  maxBufferedBytes?: number;
  /**
   * Most messages stored in one transaction. Sends that arrive while a transaction commits
   * are stored together in the next one (group commit). Default 256.
   */
  maxSendBatch?: number;
  /**
   * A REST request (headers and body) must arrive within this long, else it is answered
   * `408 request_timeout` and its connection closed. Default 30,000 ms.
   */
  requestTimeoutMs?: number;
  /** Log level for pino, or false for no logs. Default `info`. */
  logLevel?: string | false;
  /**
   * Origins whose browser pages may call the REST API: `*` (the default; safe because
   * calls carry a bearer token, never cookies) or a list such as `https://app.example`.
   */
  corsOrigins?: '*' | string[];
  /** Overrides of individual limits. */
  limits?: Partial<Limits>;
  /**
   * Types (sniffed from the bytes) an upload may have: exact types (`application/pdf`) or
   * families (`audio/*`). Default {@link DEFAULT_UPLOAD_TYPES}. HTML, SVG and executables
   * are never served inline, whatever this says.
   */
  uploadTypes?: readonly string[];
  /** How long a signed file URL stays valid, in seconds. Default 3,600. */
  fileUrlTtlSeconds?: number;
  /** Uploads not attached to a message are removed after this long. Default 24 h. */
  uploadRetentionMs?: number;
  /** How often a node looks for such uploads. Default 10 minutes. */
  uploadSweepIntervalMs?: number;
  /** Keep files in this S3-compatible bucket. Unset (the default): in `dataDir`/files. */
  s3?: S3Options | undefined;
  /**
   * `redis://…`: several nodes share fan-out, presence, typing and rate limits through this
   * Redis. Unset (the default): one node, all of it in process.
   */
  redisUrl?: string | undefined;
  /** Prefix of every Redis key and pub/sub channel, so deployments can share a Redis. Default `parley:`. */
  redisKeyPrefix?: string;
  /** This node's name in `/health`, metrics (label `node`) and logs. Default: a random UUID. */
  nodeId?: string;
  /** On shutdown, how long to wait for a connection's requests in flight before closing it anyway. Default 10,000 ms. */
  shutdownTimeoutMs?: number;
  /**
   * Searches run at once; more wait their turn, so that searches never take the cores
   * that sends and deliveries need. Default: twice the machine's cores on PostgreSQL; no
   * limit on SQLite, whose two reader threads already run two searches' statements at a
   * time.
   */
  searchConcurrency?: number;
  /**
   * Index every stored message for search again at start-up, before serving (after a
   * SQLite `VACUUM`, which may renumber the rows the index points at). Default false.
   */
  rebuildSearchIndex?: boolean;
  /**
   * Webhook endpoints that receive every channel event: `https://host/path`, or with event
   * type filters `https://host/path#message.new+member.*`. More can be added with `POST /webhooks`.
   */
  webhookUrls?: readonly string[];
  /** Signs webhook requests. Default: the app secret. */
  webhookSecret?: string | undefined;
  /** A webhook request without an answer this long fails (and is retried). Default 10,000 ms. */
  webhookTimeoutMs?: number;
  /** First retry wait of a webhook delivery; each retry doubles it, with jitter. Default 5,000 ms. */
  webhookRetryBaseMs?: number;
  /** Longest wait between two attempts. Default 1 h. */
  webhookRetryMaxMs?: number;
  /** Deliveries that still fail this long after the event are dead-lettered. Default 24 h. */
  webhookRetryForMs?: number;
  /** How often idle nodes look for events to dispatch, deliveries and emails due. Default 500 ms. */
  notificationPollMs?: number;
  /** Email a member about unread messages after this long without a connection. Default 10 minutes. */
  emailAfterMs?: number;
  /** The same for a message that mentions them. Default 2 minutes. */
  mentionEmailAfterMs?: number;
  /** `smtp://user:pass@host:587` or `smtps://…`. Unset (the default): emails are written as .eml files in `dataDir`/mail. */
  smtpUrl?: string | undefined;
  /** The From of emails. Default `Parley <parley@localhost>`. */
  emailFrom?: string;
  /**
   * Link of a channel in emails when its data has no `url`: `{cid}`, `{type}` and `{id}`
   * are replaced (URL-encoded), e.g. `https://app.example/chat/{type}/{id}`. Default: no link.
   */
  emailLinkTemplate?: string | undefined;
  /** This server's address as users' browsers reach it (unsubscribe links). Default: the address it listens on. */
  publicUrl?: string | undefined;
  /**
   * The admin console at `/admin`: true (the default) serves the build of `@parley/admin`
   * that ships with the server, a path serves the build in that folder, false serves none.
   */
  adminConsole?: boolean | string;
}

/** ServerOptions with every default applied. */
export interface ResolvedConfig {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  apiKey: string;
  secret: string;
  /** Where the secret came from: `option`, or the path of the file that keeps it. */
  secretSource: string;
  secretGenerated: boolean;
  heartbeatIntervalMs: number;
  typingTimeoutMs: number;
  maxBufferedBytes: number;
  maxSendBatch: number;
  requestTimeoutMs: number;
  logLevel: string | false;
  corsOrigins: '*' | string[];
  limits: Limits;
  uploadTypes: readonly string[];
  fileUrlTtlSeconds: number;
  uploadRetentionMs: number;
  uploadSweepIntervalMs: number;
  s3: S3Options | undefined;
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  nodeId: string;
  shutdownTimeoutMs: number;
  searchConcurrency: number;
  rebuildSearchIndex: boolean;
  notifications: NotificationConfig;
  /** The folder of the admin console's static build; null: `/admin` is not served. */
  adminDir: string | null;
}

/** Webhook and email settings, with defaults applied. */
export interface NotificationConfig {
  webhooks: { url: string; events: string[] }[];
  webhookSecret: string;
  webhookTimeoutMs: number;
  webhookRetryBaseMs: number;
  webhookRetryMaxMs: number;
  webhookRetryForMs: number;
  pollMs: number;
  emailAfterMs: number;
  mentionEmailAfterMs: number;
  smtpUrl: string | undefined;
  emailFrom: string;
  emailLinkTemplate: string | undefined;
  publicUrl: string | undefined;
}

export const DEFAULT_PORT = 3030;

/** Most messages per transaction, unless configured. */
export const DEFAULT_MAX_SEND_BATCH = 256;

const CREDENTIALS_FILE = 'credentials.json';
const require = createRequire(import.meta.url);

/**
 * What may be uploaded unless configured: raster images, PDF, office documents (OOXML and
 * OpenDocument, not the macro-enabled kinds), plain text, audio, video and zip archives.
 */
export const DEFAULT_UPLOAD_TYPES: readonly string[] = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/avif',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'text/plain',
  'audio/*',
  'video/*',
  'application/zip',
];

/** Applies defaults; generates and keeps credentials in the data folder when none are given. */
export function resolveConfig(options: ServerOptions = {}): ResolvedConfig {
  const dataDir = resolve(options.dataDir ?? './data');
  let apiKey = options.apiKey;
  let secret = options.secret;
  let secretSource = 'option';
  let secretGenerated = false;
  if (secret === undefined || apiKey === undefined) {
    const stored = loadOrCreateCredentials(dataDir);
    apiKey ??= stored.apiKey;
    if (secret === undefined) {
      secret = stored.secret;
      secretSource = stored.path;
      secretGenerated = stored.generated;
    }
  }
  if (secret.length < 32) {
    throw new Error('the secret must be at least 32 characters long');
  }
  return {
    port: options.port ?? DEFAULT_PORT,
    host: options.host ?? '0.0.0.0',
    dataDir,
    databaseUrl: options.databaseUrl,
    apiKey,
    secret,
    secretSource,
    secretGenerated,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 25_000,
    typingTimeoutMs: options.typingTimeoutMs ?? 7_000,
    maxBufferedBytes: options.maxBufferedBytes ?? 4 * 1024 * 1024,
    maxSendBatch: Math.max(1, options.maxSendBatch ?? DEFAULT_MAX_SEND_BATCH),
    requestTimeoutMs: Math.max(1, options.requestTimeoutMs ?? 30_000),
    logLevel: options.logLevel ?? 'info',
    corsOrigins: options.corsOrigins ?? '*',
    redisUrl: checkRedisUrl(options.redisUrl),
    redisKeyPrefix: options.redisKeyPrefix ?? 'parley:',
    nodeId: checkNodeId(options.nodeId ?? randomUUID()),
    shutdownTimeoutMs: options.shutdownTimeoutMs ?? 10_000,
    searchConcurrency: searchConcurrencyOf(options),
    rebuildSearchIndex: options.rebuildSearchIndex ?? false,
    adminDir: resolveAdminDir(options.adminConsole ?? true),
    notifications: {
      webhooks: (options.webhookUrls ?? []).flatMap(splitList).map(parseWebhookEntry),
      webhookSecret: options.webhookSecret || secret,
      webhookTimeoutMs: Math.max(1, options.webhookTimeoutMs ?? 10_000),
      webhookRetryBaseMs: Math.max(1, options.webhookRetryBaseMs ?? 5_000),
      webhookRetryMaxMs: Math.max(1, options.webhookRetryMaxMs ?? 60 * 60 * 1000),
      webhookRetryForMs: Math.max(1, options.webhookRetryForMs ?? 24 * 60 * 60 * 1000),
      pollMs: Math.max(1, options.notificationPollMs ?? 500),
      emailAfterMs: Math.max(0, options.emailAfterMs ?? 10 * 60 * 1000),
      mentionEmailAfterMs: Math.max(0, options.mentionEmailAfterMs ?? 2 * 60 * 1000),
      smtpUrl: checkSmtpUrl(options.smtpUrl),
      emailFrom: options.emailFrom || 'Parley <parley@localhost>',
      emailLinkTemplate: options.emailLinkTemplate || undefined,
      publicUrl: options.publicUrl ? options.publicUrl.replace(/\/+$/, '') : undefined,
    },
    uploadTypes: options.uploadTypes ?? DEFAULT_UPLOAD_TYPES,
    fileUrlTtlSeconds: Math.max(1, options.fileUrlTtlSeconds ?? 3_600),
    uploadRetentionMs: options.uploadRetentionMs ?? 24 * 60 * 60 * 1000,
    uploadSweepIntervalMs: Math.max(1, options.uploadSweepIntervalMs ?? 10 * 60 * 1000),
    s3: checkS3(options.s3),
    limits: {
      maxMessageLength: DEFAULT_LIMITS.maxMessageLength,
      maxBodyBytes: DEFAULT_LIMITS.maxBodyBytes,
      maxFrameBytes: DEFAULT_LIMITS.maxFrameBytes,
      maxCustomDataBytes: DEFAULT_LIMITS.maxCustomDataBytes,
      messagesPerWindow: 100,
      requestsPerWindow: 1_000,
      rateWindowMs: 10_000,
      editWindowMs: 0,
      maxReactionTypes: DEFAULT_LIMITS.maxReactionTypes,
      maxUploadBytes: DEFAULT_LIMITS.maxUploadBytes,
      maxImagePixels: DEFAULT_LIMITS.maxImagePixels,
      uploadsPerWindow: 20,
      ...options.limits,
    },
  };
}

/** The admin console's build folder: a given path, the shipped build, or none. */
function resolveAdminDir(option: boolean | string): string | null {
  if (option === false) return null;
  if (typeof option === 'string') return resolve(option);
  try {
    return join(dirname(require.resolve('@parley/admin/package.json')), 'dist');
  } catch {
    // Installed without the console (a trimmed deployment): /admin says how to get it.
    return null;
  }
}

interface StoredCredentials {
  apiKey: string;
  secret: string;
  path: string;
  generated: boolean;
}

function loadOrCreateCredentials(dataDir: string): StoredCredentials {
  const path = join(dataDir, CREDENTIALS_FILE);
  if (existsSync(path)) {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as {
      api_key?: unknown;
      secret?: unknown;
    };
    if (typeof parsed.api_key !== 'string' || typeof parsed.secret !== 'string') {
      throw new Error(`${path} must hold {"api_key": "...", "secret": "..."}`);
    }
    return { apiKey: parsed.api_key, secret: parsed.secret, path, generated: false };
  }
  mkdirSync(dataDir, { recursive: true });
  const apiKey = `pk_${randomBytes(9).toString('base64url')}`;
  const secret = randomBytes(32).toString('base64url');
  // 0600: the secret signs every token; only the server's user may read it.
  writeFileSync(path, JSON.stringify({ api_key: apiKey, secret }, null, 2) + '\n', {
    mode: 0o600,
    flag: 'wx',
  });
  return { apiKey, secret, path, generated: true };
}
