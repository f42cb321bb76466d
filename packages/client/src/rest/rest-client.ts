import { ChatError, errorStatus } from '@parley/protocol/codes';
import type { ErrorBody } from '@parley/protocol';
import type { TokenSource } from '../token-source.js';

/** The part of `fetch` the client uses; the global `fetch` of browsers and Node fits. */
export type FetchLike = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string;
    signal: AbortSignal;
  },
) => Promise<{ readonly ok: boolean; readonly status: number; text(): Promise<string> }>;

export interface RestClientOptions {
  /** The server's base URL, without a trailing slash. */
  baseUrl: string;
  apiKey: string | undefined;
  fetch: FetchLike;
  /** A call without an answer by then fails with `network_error`. */
  timeoutMs: number;
  /** The session's token; null before `connectUser`. */
  tokens(): TokenSource | null;
}

type Query = Record<string, string | number | undefined>;

/** The REST API: bearer token, JSON bodies, `{ error }` bodies turned into ChatErrors. */
export class RestClient {
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly options: RestClientOptions) {}

  /**
   * Calls the API. An expired token is replaced once through the token provider (when
   * there is one) and the call made again.
   */
  async call<T>(method: 'GET' | 'POST', path: string, query: Query = {}, body?: object) {
    const tokens = this.options.tokens();
    if (tokens === null) throw new ChatError('invalid_request', 'call connectUser first');
    try {
      return await this.once<T>(method, path, query, body, await tokens.get());
    } catch (error) {
      if (!(error instanceof ChatError && error.code === 'token_expired' && tokens.refreshable)) {
        throw error;
      }
      tokens.expire();
      return this.once<T>(method, path, query, body, await tokens.get());
    }
  }

  /** Ends every call in flight with `network_error` (the client disconnects). */
  abortAll(): void {
    for (const controller of this.inFlight) controller.abort();
  }

  private async once<T>(
    method: string,
    path: string,
    query: Query,
    body: object | undefined,
    token: string,
  ): Promise<T> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) search.set(key, String(value));
    }
    const qs = String(search) === '' ? '' : `?${search}`;
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (this.options.apiKey !== undefined) headers['x-api-key'] = this.options.apiKey;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.options.timeoutMs);
    this.inFlight.add(controller);
    let status: number;
    let text: string;
    try {
      const response = await this.options.fetch(this.options.baseUrl + path + qs, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: controller.signal,
      });
      status = response.status;
      text = await response.text();
    } catch {
      const why = timedOut
        ? `no answer within ${this.options.timeoutMs} ms`
        : controller.signal.aborted
          ? 'the client disconnected'
          : 'the server could not be reached';
      throw new ChatError('network_error', `${method} ${path}: ${why}`);
    } finally {
      clearTimeout(timer);
      this.inFlight.delete(controller);
    }
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (status >= 200 && status < 300) return parsed as T;
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    if (error?.code !== undefined && error.code in errorStatus) {
      throw ChatError.fromBody({ error } as ErrorBody);
    }
    // Not Parley's error shape: a proxy, or a node shutting down, answered (docs/protocol.md, Errors).
    throw new ChatError('network_error', `${method} ${path}: HTTP ${status}`);
  }
}
