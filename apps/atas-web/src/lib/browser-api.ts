import type { ApiErrorBody } from './types';

/** A failed call from the browser to the ATAS API, with the API's code and message. */
export class BrowserApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Calls the ATAS API through the web app's same-origin proxy (`/api/v1/...`); the session
 * cookie goes along by itself. Rejects with a BrowserApiError, `network_error` when the
 * web server itself cannot be reached.
 */
export async function callApi<T>(path: string, init: { method?: string; body?: unknown } = {}) {
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: 'no-store',
    });
  } catch {
    throw new BrowserApiError(0, 'network_error', 'ATAS cannot be reached; check your connection');
  }
  if (response.ok) return (await response.json()) as T;
  const body = (await response.json().catch(() => null)) as ApiErrorBody | null;
  throw new BrowserApiError(
    response.status,
    body?.error.code ?? 'unknown',
    body?.error.message ?? `ATAS answered ${response.status}`,
  );
}
