import type { FetchLike } from '../../src/index.js';

export interface RecordedCall {
  method: string;
  url: string;
  headers: Record<string, string>;
}

/** The real fetch, recording each call: proves what was sent, and that nothing was. */
export function recordingFetch(): { fetch: FetchLike; calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const fetch: FetchLike = (url, init) => {
    calls.push({
      method: init.method ?? 'GET',
      url,
      headers: { ...(init.headers as Record<string, string>) },
    });
    return globalThis.fetch(url, init);
  };
  return { fetch, calls };
}
