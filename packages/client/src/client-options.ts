import type { BackoffOptions } from './connection/backoff.js';
import type { NetworkEvents } from './connection/connection.js';
import type { WebSocketConstructor } from './connection/socket.js';
import type { QueueStore } from './queue/queue-store.js';
import { MemoryQueueStore } from './queue/memory-queue-store.js';
import type { FetchLike } from './rest/rest-client.js';
import { checkInteger, invalid } from './arguments.js';
import { DEFAULT_MAX_MESSAGES } from './channel/channel-state.js';
import { withFileBudget } from './uploads/file-budget-store.js';

/** Everything `new ChatClient()` takes. Only `url` is required. */
export interface ChatClientOptions {
  /** The server's REST base URL, e.g. `https://chat.example.com`; the WebSocket is `<url as ws(s)>/connect`. */
  url: string;
  /** The app's public api key, sent as `api_key`. Default none. */
  apiKey?: string;
  /** The WebSocket class. Default `globalThis.WebSocket`; in Node pass `ws`. */
  WebSocket?: WebSocketConstructor;
  /** Default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Where the offline queue is kept. Default a new `MemoryQueueStore`. */
  queueStore?: QueueStore;
  /**
   * The most bytes of queued messages' files the queue store keeps (oldest message first),
   * so that a reload while offline still sends them; a file past it is sent if the page
   * stays, and fails after a reload. Only stores that keep Blobs (IndexedDB, memory) keep
   * files at all. Default 50 MB.
   */
  maxOfflineFileBytes?: number;
  /** Reconnect backoff (full jitter). Default `{ minDelayMs: 500, maxDelayMs: 30_000 }`. */
  reconnect?: Partial<BackoffOptions>;
  /** A WebSocket request or REST call without an answer by then fails (retryable). Default 10,000 ms. */
  requestTimeoutMs?: number;
  /** An attempt without `connection.ok` by then is given up and retried. Default 10,000 ms. */
  connectTimeoutMs?: number;
  /** Source of `online` / `offline` events. Default `globalThis.window` if there is one; null disables. */
  networkEvents?: NetworkEvents | null;
  /** markRead calls within this window send one `channel.read`. Default 300 ms. */
  markReadDelayMs?: number;
  /**
   * The most stored messages a channel keeps loaded. Past it, new messages drop the oldest
   * and older pages drop the newest; both are loaded again on demand. Default 500.
   */
  maxMessages?: number;
}

/** The options with every default applied. */
export interface ResolvedOptions {
  baseUrl: string;
  socketUrl: string;
  apiKey: string | undefined;
  WebSocket: WebSocketConstructor | undefined;
  fetch: FetchLike;
  queueStore: QueueStore;
  backoff: BackoffOptions;
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  networkEvents: NetworkEvents | null;
  markReadDelayMs: number;
  maxMessages: number;
}

const DAY = 86_400_000;

export function resolveOptions(options: ChatClientOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options are required');
  const match = /^(http|ws)(s?):\/\/[^/]/.exec(String(options.url));
  if (match === null)
    throw invalid(`url must be an http(s) or ws(s) URL, not ${JSON.stringify(options.url)}`);
  // The REST base and the socket URL differ only in their scheme.
  const host = options.url.replace(/\/+$/, '').slice(match[0].length - 1);
  const baseUrl = `http${match[2]}://${host}`;
  const global = globalThis as {
    WebSocket?: WebSocketConstructor;
    fetch?: FetchLike;
    window?: NetworkEvents;
  };
  const backoff = {
    minDelayMs: checkInteger(options.reconnect?.minDelayMs, 'reconnect.minDelayMs', 1, DAY) ?? 500,
    maxDelayMs:
      checkInteger(options.reconnect?.maxDelayMs, 'reconnect.maxDelayMs', 1, DAY) ?? 30_000,
  };
  return {
    baseUrl,
    socketUrl: `ws${match[2]}://${host}/connect`,
    apiKey: options.apiKey,
    WebSocket: options.WebSocket ?? global.WebSocket,
    // Called through a wrapper: browsers refuse `fetch` called with another `this`.
    fetch: options.fetch ?? ((url, init) => global.fetch!(url, init)),
    queueStore: withFileBudget(
      options.queueStore ?? new MemoryQueueStore(),
      checkInteger(options.maxOfflineFileBytes, 'maxOfflineFileBytes', 0, 2 ** 53 - 1) ??
        50_000_000,
    ),
    backoff: { ...backoff, maxDelayMs: Math.max(backoff.minDelayMs, backoff.maxDelayMs) },
    requestTimeoutMs: checkInteger(options.requestTimeoutMs, 'requestTimeoutMs', 1, DAY) ?? 10_000,
    connectTimeoutMs: checkInteger(options.connectTimeoutMs, 'connectTimeoutMs', 1, DAY) ?? 10_000,
    networkEvents:
      options.networkEvents === undefined ? (global.window ?? null) : options.networkEvents,
    markReadDelayMs: checkInteger(options.markReadDelayMs, 'markReadDelayMs', 0, DAY) ?? 300,
    maxMessages:
      checkInteger(options.maxMessages, 'maxMessages', 1, 10_000_000) ?? DEFAULT_MAX_MESSAGES,
  };
}
