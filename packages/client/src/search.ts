import type { SearchResponse, SearchResult } from '@parley/protocol';
import { invalid } from './arguments.js';
import type { RestClient } from './rest/rest-client.js';

/** What `client.search` takes. */
export interface SearchOptions {
  /** Words and "quoted phrases" that must all appear (parts of words too), `-word` that must not; 1–200 characters. */
  q: string;
  /** Only this channel (`type:id`). */
  cid?: string;
  /** Only messages by this author. */
  userId?: string;
  /** Only messages sent before / after this time. */
  before?: Date | string;
  after?: Date | string;
  /** `relevance` (default): best matches among the newest 500; `newest`: every match by time. */
  sort?: 'relevance' | 'newest';
  /** Results per page, 1–100. Default 20. */
  limit?: number;
}

/** One page of search results. */
export interface SearchPage {
  /** Each with `message`, its `channel`, and `highlights`: matched ranges of the text (UTF-16 offsets, end exclusive). */
  results: SearchResult[];
  /** The server's cursor of the next page; null on the last. */
  nextCursor: string | null;
  /** The next page; null on the last. */
  next(): Promise<SearchPage> | null;
}

/** `GET /search` with `options` (checked first), from `cursor`. */
export function search(
  rest: RestClient,
  options: SearchOptions,
  cursor?: string,
): Promise<SearchPage> {
  let query: Record<string, string | number | undefined>;
  try {
    query = searchQuery(options);
  } catch (error) {
    return Promise.reject(error);
  }
  return rest
    .call<SearchResponse>('GET', '/search', { ...query, cursor })
    .then(({ results, next_cursor: next }) => ({
      results,
      nextCursor: next,
      next: () => (next === null ? null : search(rest, options, next)),
    }));
}

function searchQuery(options: SearchOptions): Record<string, string | number | undefined> {
  // The server checks the rest (docs/protocol.md, Search) and answers `invalid_request`.
  if (typeof options !== 'object' || options === null) throw invalid('search takes { q, … }');
  const { q, cid, userId, sort, limit } = options;
  if (typeof q !== 'string' || q.trim() === '') throw invalid('q must be 1-200 characters');
  return {
    q,
    cid,
    user_id: userId,
    before: time(options.before),
    after: time(options.after),
    sort,
    limit,
  };
}

/** A time as ISO 8601 (a Date, or a string passed on as given). */
const time = (value: Date | string | undefined) =>
  value instanceof Date ? value.toISOString() : value;
