import { ChatError, errorBodySchema } from '@parley/protocol';

/** The part of `fetch` the SDK uses; Node 20's global fetch fits, and so does a wrapper. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Options of {@link createHttp}. */
export interface HttpOptions {
  /** Base URL of the Parley server, without a trailing slash. */
  baseUrl: string;
  fetch: FetchLike;
  /** Abort a request (including reading its body) after this many milliseconds. */
  timeoutMs: number;
}

/** One REST call. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The path with its segments already encoded, e.g. `/channels/messaging/general`. */
  path: string;
  /** Query parameters; undefined ones are left out. */
  query?: Record<string, string | number | undefined>;
  /** Sent as JSON; without a body no `Content-Type` is sent (Fastify refuses an empty JSON body). */
  body?: unknown;
  headers?: Record<string, string>;
  /** Non-2xx statuses whose body is still the answer (`/health` answers 503 with a body). */
  acceptStatuses?: readonly number[];
}

/** Sends JSON requests; every failure becomes a {@link ChatError}. */
export type Http = <T>(request: HttpRequest) => Promise<T>;

/** A fetch wrapper: JSON in and out, a timeout, error bodies and network failures as ChatError. */
export function createHttp(options: HttpOptions): Http {
  return async <T>(request: HttpRequest): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    let status: number;
    let text: string;
    try {
      const response = await options.fetch(
        options.baseUrl + request.path + toQuery(request.query),
        {
          method: request.method,
          headers,
          body,
          signal: controller.signal,
        },
      );
      status = response.status;
      text = await response.text();
    } catch (err) {
      throw networkError(err, controller.signal.aborted, options.timeoutMs);
    } finally {
      clearTimeout(timer);
    }
    const ok = (status >= 200 && status < 300) || request.acceptStatuses?.includes(status);
    if (!ok) throw errorFromAnswer(status, text);
    const json = parseJson(text);
    if (json === undefined) throw notParley(status);
    return json as T;
  };
}

function toQuery(query: HttpRequest['query']): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const encoded = params.toString();
  return encoded === '' ? '' : `?${encoded}`;
}

function networkError(err: unknown, timedOut: boolean, timeoutMs: number): ChatError {
  if (timedOut) {
    return new ChatError('network_error', `the server did not answer within ${timeoutMs} ms`, {
      timeout_ms: timeoutMs,
    });
  }
  // Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND…) is its cause.
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const reason = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : err);
  return new ChatError('network_error', `the server could not be reached: ${String(reason)}`, {
    reason: String(reason),
  });
}

/**
 * A failed answer as the server's ChatError. An answer without a Parley error body did not
 * come from Parley's handlers (a proxy, a gateway, a node shutting down), so, as the
 * protocol says, it counts as the server not being reached.
 */
function errorFromAnswer(status: number, text: string): ChatError {
  const parsed = errorBodySchema.safeParse(parseJson(text));
  if (parsed.success) return ChatError.fromBody(parsed.data);
  return notParley(status);
}

function notParley(status: number): ChatError {
  return new ChatError('network_error', `an answer ${status} that did not come from Parley`, {
    status,
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
