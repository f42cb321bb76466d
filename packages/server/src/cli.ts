#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { createParleyServer } from './server.js';
import { DEFAULT_MAX_SEND_BATCH, DEFAULT_PORT, type ServerOptions } from './config.js';

const HELP = `parley-server — the Parley chat server (REST + WebSocket on one port)

Usage: parley-server [options]

Options (each also read from the environment variable shown):
  --port <n>              Port to listen on                     PARLEY_PORT (default ${DEFAULT_PORT})
  --host <addr>           Interface to listen on                PARLEY_HOST (default 0.0.0.0)
  --data-dir <path>       Data folder: SQLite file, credentials PARLEY_DATA_DIR (default ./data)
  --database-url <url>    postgres://… for PostgreSQL           PARLEY_DATABASE_URL (default: SQLite in the data folder)
  --api-key <key>         The app's public key                  PARLEY_API_KEY (default: generated, kept in the data folder)
  --secret <secret>       The app secret, ≥ 32 characters       PARLEY_SECRET (default: generated, kept in the data folder)
  --max-message-length <n> Longest message text                 PARLEY_MAX_MESSAGE_LENGTH (default 5000)
  --max-body-bytes <n>    Largest REST body                     PARLEY_MAX_BODY_BYTES (default 262144)
  --max-frame-bytes <n>   Largest WebSocket frame               PARLEY_MAX_FRAME_BYTES (default 65536)
  --messages-per-window <n> Messages per user per window (0: off) PARLEY_MESSAGES_PER_WINDOW (default 100)
  --requests-per-window <n> Requests per user per window (0: off) PARLEY_REQUESTS_PER_WINDOW (default 1000)
  --rate-window-ms <n>    Rate-limit window                     PARLEY_RATE_WINDOW_MS (default 10000)
  --max-upload-bytes <n>  Largest uploaded file                 PARLEY_MAX_UPLOAD_BYTES (default 26214400)
  --max-image-pixels <n>  Most pixels of an uploaded image      PARLEY_MAX_IMAGE_PIXELS (default 50000000)
  --uploads-per-window <n> Uploads per user per window (0: off) PARLEY_UPLOADS_PER_WINDOW (default 20)
  --upload-types <list>   Types an upload may have (a/b, a/*)   PARLEY_UPLOAD_TYPES (default: images, PDF, office,
                                                                text, audio, video, zip; comma-separated)
  --file-url-ttl-s <n>    How long a signed file URL is valid   PARLEY_FILE_URL_TTL_S (default 3600)
  --s3-bucket <name>      Keep files in this S3 bucket          PARLEY_S3_BUCKET (default: on disk, in the data folder)
  --s3-endpoint <url>     An S3-compatible service's URL        PARLEY_S3_ENDPOINT (default: AWS)
  --s3-region <name>      The bucket's region                   PARLEY_S3_REGION (default us-east-1)
  --s3-path-style <bool>  endpoint/bucket/key addressing        PARLEY_S3_PATH_STYLE (default: true with an endpoint)
  --s3-key-prefix <p>     Prefix of every object key            PARLEY_S3_KEY_PREFIX (default none)
                          S3 credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (or a profile, or a role)
  --request-timeout-ms <n> A whole request (an upload too) must arrive within this
                                                                PARLEY_REQUEST_TIMEOUT_MS (default 30000)
  --heartbeat-ms <n>      Server heartbeat interval             PARLEY_HEARTBEAT_MS (default 25000)
  --max-send-batch <n>    Most messages stored per transaction  PARLEY_MAX_SEND_BATCH (default ${DEFAULT_MAX_SEND_BATCH})
  --cors-origins <list>   Origins allowed to call the REST API  PARLEY_CORS_ORIGINS (default *; comma-separated list)
  --redis-url <url>       redis://… : several nodes share fan-out, presence, typing, rate limits
                                                                PARLEY_REDIS_URL (default: one node, in process)
  --redis-key-prefix <p>  Prefix of Parley's Redis keys          PARLEY_REDIS_KEY_PREFIX (default parley:)
  --node-id <name>        This node's name (health, metrics)    PARLEY_NODE_ID (default: a random UUID)
  --shutdown-timeout-ms <n> On SIGTERM, wait this long for requests in flight
                                                                PARLEY_SHUTDOWN_TIMEOUT_MS (default 10000)
  --webhook-url <url>     Endpoint for channel and app events; repeatable or comma-separated; event filters after #:
                          https://app/hook#message.new+member.*     PARLEY_WEBHOOK_URL (default none)
  --webhook-secret <s>    Signs webhook requests                PARLEY_WEBHOOK_SECRET (default: the app secret)
  --webhook-timeout-ms <n> A webhook request fails after        PARLEY_WEBHOOK_TIMEOUT_MS (default 10000)
  --webhook-retry-base-ms <n> First retry wait (doubles, jitter) PARLEY_WEBHOOK_RETRY_BASE_MS (default 5000)
  --webhook-retry-max-ms <n> Longest wait between attempts      PARLEY_WEBHOOK_RETRY_MAX_MS (default 3600000)
  --webhook-retry-for-ms <n> Dead-letter a delivery after        PARLEY_WEBHOOK_RETRY_FOR_MS (default 86400000)
  --notification-poll-ms <n> Idle nodes look for outbox work    PARLEY_NOTIFICATION_POLL_MS (default 500)
  --email-after-ms <n>    Email unread messages after this long offline
                                                                PARLEY_EMAIL_AFTER_MS (default 600000)
  --mention-email-after-ms <n> The same for mentions            PARLEY_MENTION_EMAIL_AFTER_MS (default 120000)
  --smtp-url <url>        smtp://user:pass@host:587 or smtps:// PARLEY_SMTP_URL (default: .eml files in data/mail)
  --email-from <addr>     From of notification emails           PARLEY_EMAIL_FROM (default Parley <parley@localhost>)
  --email-link-template <t> Channel link when data.url is unset: {cid} {type} {id}
                                                                PARLEY_EMAIL_LINK_TEMPLATE (default: no link)
  --public-url <url>      This server as browsers reach it (unsubscribe links)
                                                                PARLEY_PUBLIC_URL (default: the listening address)
  --admin-console <v>     The admin console at /admin: true, false or a build folder
                                                                PARLEY_ADMIN_CONSOLE (default true: the shipped build)
  --search-concurrency <n> Searches run at once; more wait      PARLEY_SEARCH_CONCURRENCY
                                                                (default: 2 × the cores on PostgreSQL, none on SQLite)
  --rebuild-search-index <bool> Index every message for search again before serving (SQLite, after a VACUUM)
                                                                PARLEY_REBUILD_SEARCH_INDEX (default false)
  --log-level <level>     fatal|error|warn|info|debug|silent    PARLEY_LOG_LEVEL (default info)
  -h, --help              Show this help
`;

function main(): void {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      'database-url': { type: 'string' },
      'api-key': { type: 'string' },
      secret: { type: 'string' },
      'max-message-length': { type: 'string' },
      'max-body-bytes': { type: 'string' },
      'max-frame-bytes': { type: 'string' },
      'messages-per-window': { type: 'string' },
      'requests-per-window': { type: 'string' },
      'rate-window-ms': { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      'request-timeout-ms': { type: 'string' },
      'max-upload-bytes': { type: 'string' },
      'max-image-pixels': { type: 'string' },
      'uploads-per-window': { type: 'string' },
      'upload-types': { type: 'string' },
      'file-url-ttl-s': { type: 'string' },
      's3-bucket': { type: 'string' },
      's3-endpoint': { type: 'string' },
      's3-region': { type: 'string' },
      's3-path-style': { type: 'string' },
      's3-key-prefix': { type: 'string' },
      'max-send-batch': { type: 'string' },
      'cors-origins': { type: 'string' },
      'redis-url': { type: 'string' },
      'redis-key-prefix': { type: 'string' },
      'node-id': { type: 'string' },
      'shutdown-timeout-ms': { type: 'string' },
      'search-concurrency': { type: 'string' },
      'rebuild-search-index': { type: 'string' },
      'log-level': { type: 'string' },
      'webhook-url': { type: 'string', multiple: true },
      'webhook-secret': { type: 'string' },
      'webhook-timeout-ms': { type: 'string' },
      'webhook-retry-base-ms': { type: 'string' },
      'webhook-retry-max-ms': { type: 'string' },
      'webhook-retry-for-ms': { type: 'string' },
      'notification-poll-ms': { type: 'string' },
      'email-after-ms': { type: 'string' },
      'mention-email-after-ms': { type: 'string' },
      'smtp-url': { type: 'string' },
      'email-from': { type: 'string' },
      'email-link-template': { type: 'string' },
      'public-url': { type: 'string' },
      'admin-console': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const env = process.env;
  const pick = (flag: string | undefined, name: string): string | undefined => flag ?? env[name];
  const num = (flag: string | undefined, name: string): number | undefined => {
    const raw = pick(flag, name);
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0)
      throw new Error(`${name} must be a whole number, got "${raw}"`);
    return n;
  };
  const logLevel = pick(values['log-level'], 'PARLEY_LOG_LEVEL') ?? 'info';
  const limits: ServerOptions['limits'] = {};
  const setLimit = (key: keyof NonNullable<ServerOptions['limits']>, v: number | undefined) => {
    if (v !== undefined) limits[key] = v;
  };
  setLimit('maxMessageLength', num(values['max-message-length'], 'PARLEY_MAX_MESSAGE_LENGTH'));
  setLimit('maxBodyBytes', num(values['max-body-bytes'], 'PARLEY_MAX_BODY_BYTES'));
  setLimit('maxFrameBytes', num(values['max-frame-bytes'], 'PARLEY_MAX_FRAME_BYTES'));
  setLimit('messagesPerWindow', num(values['messages-per-window'], 'PARLEY_MESSAGES_PER_WINDOW'));
  setLimit('requestsPerWindow', num(values['requests-per-window'], 'PARLEY_REQUESTS_PER_WINDOW'));
  setLimit('rateWindowMs', num(values['rate-window-ms'], 'PARLEY_RATE_WINDOW_MS'));
  setLimit('maxUploadBytes', num(values['max-upload-bytes'], 'PARLEY_MAX_UPLOAD_BYTES'));
  setLimit('maxImagePixels', num(values['max-image-pixels'], 'PARLEY_MAX_IMAGE_PIXELS'));
  setLimit('uploadsPerWindow', num(values['uploads-per-window'], 'PARLEY_UPLOADS_PER_WINDOW'));
  const bool = (flag: string | undefined, name: string): boolean | undefined => {
    const raw = pick(flag, name);
    if (raw === undefined || raw === '') return undefined;
    if (!/^(true|false|1|0)$/i.test(raw))
      throw new Error(`${name} must be true or false, got "${raw}"`);
    return /^(true|1)$/i.test(raw);
  };
  const uploadTypes = pick(values['upload-types'], 'PARLEY_UPLOAD_TYPES');
  const bucket = pick(values['s3-bucket'], 'PARLEY_S3_BUCKET');

  const options: ServerOptions = {
    port: num(values.port, 'PARLEY_PORT') ?? DEFAULT_PORT,
    host: pick(values.host, 'PARLEY_HOST') ?? '0.0.0.0',
    dataDir: pick(values['data-dir'], 'PARLEY_DATA_DIR') ?? './data',
    databaseUrl: pick(values['database-url'], 'PARLEY_DATABASE_URL') || undefined,
    apiKey: pick(values['api-key'], 'PARLEY_API_KEY') || undefined,
    secret: pick(values.secret, 'PARLEY_SECRET') || undefined,
    heartbeatIntervalMs: num(values['heartbeat-ms'], 'PARLEY_HEARTBEAT_MS') ?? 25_000,
    requestTimeoutMs: num(values['request-timeout-ms'], 'PARLEY_REQUEST_TIMEOUT_MS'),
    maxSendBatch: num(values['max-send-batch'], 'PARLEY_MAX_SEND_BATCH'),
    logLevel: logLevel === 'silent' ? false : logLevel,
    corsOrigins: parseOrigins(pick(values['cors-origins'], 'PARLEY_CORS_ORIGINS')),
    redisUrl: pick(values['redis-url'], 'PARLEY_REDIS_URL') || undefined,
    redisKeyPrefix: pick(values['redis-key-prefix'], 'PARLEY_REDIS_KEY_PREFIX') || undefined,
    nodeId: pick(values['node-id'], 'PARLEY_NODE_ID') || undefined,
    shutdownTimeoutMs: num(values['shutdown-timeout-ms'], 'PARLEY_SHUTDOWN_TIMEOUT_MS'),
    searchConcurrency: num(values['search-concurrency'], 'PARLEY_SEARCH_CONCURRENCY'),
    rebuildSearchIndex: bool(values['rebuild-search-index'], 'PARLEY_REBUILD_SEARCH_INDEX'),
    limits,
    ...(uploadTypes ? { uploadTypes: parseList(uploadTypes) } : {}),
    fileUrlTtlSeconds: num(values['file-url-ttl-s'], 'PARLEY_FILE_URL_TTL_S'),
    webhookUrls: values['webhook-url'] ?? parseList(env.PARLEY_WEBHOOK_URL ?? ''),
    webhookSecret: pick(values['webhook-secret'], 'PARLEY_WEBHOOK_SECRET') || undefined,
    webhookTimeoutMs: num(values['webhook-timeout-ms'], 'PARLEY_WEBHOOK_TIMEOUT_MS'),
    webhookRetryBaseMs: num(values['webhook-retry-base-ms'], 'PARLEY_WEBHOOK_RETRY_BASE_MS'),
    webhookRetryMaxMs: num(values['webhook-retry-max-ms'], 'PARLEY_WEBHOOK_RETRY_MAX_MS'),
    webhookRetryForMs: num(values['webhook-retry-for-ms'], 'PARLEY_WEBHOOK_RETRY_FOR_MS'),
    notificationPollMs: num(values['notification-poll-ms'], 'PARLEY_NOTIFICATION_POLL_MS'),
    emailAfterMs: num(values['email-after-ms'], 'PARLEY_EMAIL_AFTER_MS'),
    mentionEmailAfterMs: num(values['mention-email-after-ms'], 'PARLEY_MENTION_EMAIL_AFTER_MS'),
    smtpUrl: pick(values['smtp-url'], 'PARLEY_SMTP_URL') || undefined,
    emailFrom: pick(values['email-from'], 'PARLEY_EMAIL_FROM') || undefined,
    emailLinkTemplate:
      pick(values['email-link-template'], 'PARLEY_EMAIL_LINK_TEMPLATE') || undefined,
    publicUrl: pick(values['public-url'], 'PARLEY_PUBLIC_URL') || undefined,
    adminConsole: parseAdminConsole(pick(values['admin-console'], 'PARLEY_ADMIN_CONSOLE')),
    s3: bucket
      ? {
          bucket,
          endpoint: pick(values['s3-endpoint'], 'PARLEY_S3_ENDPOINT') || undefined,
          region: pick(values['s3-region'], 'PARLEY_S3_REGION') || undefined,
          forcePathStyle: bool(values['s3-path-style'], 'PARLEY_S3_PATH_STYLE'),
          keyPrefix: pick(values['s3-key-prefix'], 'PARLEY_S3_KEY_PREFIX') || undefined,
        }
      : undefined,
  };
  run(options).catch((err: unknown) => {
    console.error(
      `parley-server: could not start: ${err instanceof Error ? err.message : String(err)}`,
    );
    process.exit(1);
  });
}

function parseOrigins(raw: string | undefined): '*' | string[] {
  if (raw === undefined || raw.trim() === '' || raw.trim() === '*') return '*';
  return parseList(raw);
}

function parseList(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

async function run(options: ServerOptions): Promise<void> {
  const server = createParleyServer(options);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: draining connections, then closing storage…\n`);
    // A shutdown that hangs (a peer that never answers) must not keep the node alive.
    setTimeout(() => process.exit(1), server.config.shutdownTimeoutMs + 10_000).unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  let url: string;
  try {
    ({ url } = await server.start());
  } catch (err) {
    if (stopping) return; // stopped while waiting for the storage
    throw err;
  }
  const config = server.config;
  const storage = config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`;
  process.stdout.write(
    [
      '',
      `Parley is running at ${url}  (WebSocket: ${url.replace(/^http/, 'ws')}/connect)`,
      `  node:    ${config.nodeId}`,
      `  storage: ${storage}`,
      `  files:   ${config.s3 === undefined ? `on disk in ${config.dataDir}/files` : `S3 bucket ${config.s3.bucket}${config.s3.endpoint === undefined ? '' : ` at ${config.s3.endpoint}`}`}`,
      `  webhooks: ${config.notifications.webhooks.length === 0 ? 'none configured (POST /webhooks adds some)' : config.notifications.webhooks.map((w) => w.url).join(', ')}`,
      `  email:   ${config.notifications.smtpUrl === undefined ? `no SMTP: written as .eml files in ${config.dataDir}/mail` : `SMTP ${redact(config.notifications.smtpUrl)}`}`,
      `  redis:   ${config.redisUrl === undefined ? 'off (one node)' : `${config.redisKeyPrefix}* on ${redact(config.redisUrl)}`}`,
      `  admin:   ${config.adminDir === null ? 'off' : `${url}/admin (sign in with the secret)`}`,
      `  api key: ${config.apiKey}`,
      `  secret:  ${config.secretSource === 'option' ? 'given by option' : `kept in ${config.secretSource}`}${config.secretGenerated ? ' (generated now)' : ''}`,
      '',
    ].join('\n') + '\n',
  );
}

/** `true`/`false` (also 1/0), or the folder of a console build. */
function parseAdminConsole(raw: string | undefined): boolean | string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (/^(true|1)$/i.test(raw)) return true;
  if (/^(false|0)$/i.test(raw)) return false;
  return raw;
}

function redact(url: string): string {
  return url.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}

try {
  main();
} catch (err) {
  console.error(`parley-server: ${err instanceof Error ? err.message : String(err)}`);
  console.error('Run parley-server --help for the options.');
  process.exit(2);
}
