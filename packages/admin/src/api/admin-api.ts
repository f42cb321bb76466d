/** An error answer of the REST API (`{ error: { code, message } }`) or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Gives the bearer token of the next request (a server token is re-signed when it ages). */
export type TokenSource = () => Promise<string>;

/** Query string values; undefined and empty ones are left out. */
export type Query = Record<string, string | number | undefined>;

/**
 * The REST API of the server that serves the console (same origin), called with the
 * operator's credential. Every answer that is not 2xx becomes an {@link ApiError}.
 */
export class AdminApi {
  constructor(
    private readonly token: TokenSource,
    private readonly base = '',
  ) {}

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.request<T>('GET', withQuery(path, query));
  }

  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request<T>('PUT', path, body);
  }

  delete<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('DELETE', path, body);
  }

  /** `/metrics` (public, Prometheus text). */
  async metricsText(): Promise<string> {
    const res = await this.fetch('GET', '/metrics', undefined, false);
    return res.text();
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.fetch(method, path, body, true);
    return (await res.json()) as T;
  }

  private async fetch(
    method: string,
    path: string,
    body: unknown,
    authenticated: boolean,
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (authenticated) headers.authorization = `Bearer ${await this.token()}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (err) {
      throw new ApiError('network_error', err instanceof Error ? err.message : String(err), 0);
    }
    if (!res.ok) {
      const answer = (await res.json().catch(() => null)) as {
        error?: { code?: string; message?: string };
      } | null;
      throw new ApiError(
        answer?.error?.code ?? 'http_error',
        answer?.error?.message ?? `${res.status} ${res.statusText}`,
        res.status,
      );
    }
    return res;
  }
}

/** `path?a=1&b=2`, leaving out undefined and empty values. */
export function withQuery(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** `/channels/:type/:id` of a cid (`type:id`; the id may hold colons). */
export function channelPath(cid: string): string {
  const at = cid.indexOf(':');
  return `/channels/${encodeURIComponent(cid.slice(0, at))}/${encodeURIComponent(cid.slice(at + 1))}`;
}
