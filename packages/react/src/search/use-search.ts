'use client';
import type { ChatError, SearchOptions, SearchPage } from '@parley/client';
import type { SearchResult } from '@parley/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useChatContext } from '../session/chat-context.js';

/** What `useSearch` takes: `client.search`'s filters, without the query. */
export type UseSearchOptions = Omit<SearchOptions, 'q'>;

/** A search's state and what moves it. */
export interface UseSearchResult {
  /** The query of the results shown ('' before any search). */
  query: string;
  results: SearchResult[];
  status: 'idle' | 'searching' | 'done' | 'error';
  error: ChatError | null;
  /** Another page exists. */
  hasMore: boolean;
  loadingMore: boolean;
  /** Starts a new search (an empty query clears); an older one still running is dropped. */
  search(query: string): void;
  loadMore(): void;
}

/**
 * Searches the current user's conversations (`client.search`), a page at a time. Only the
 * latest search counts: answers of one overtaken by a newer query are ignored.
 */
export function useSearch(options: UseSearchOptions = {}): UseSearchResult {
  const { client } = useChatContext();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<SearchResult[]>([]);
  const [status, setStatus] = useState<UseSearchResult['status']>('idle');
  const [error, setError] = useState<ChatError | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const page = useRef<SearchPage | null>(null);
  /** Bumped by every search: an answer for an older number is dropped. */
  const generation = useRef(0);
  const { cid, userId, before, after, sort, limit } = options;

  useEffect(
    () => () => {
      generation.current++;
    },
    [],
  );

  const search = useCallback(
    (next: string) => {
      const current = ++generation.current;
      const q = next.trim();
      page.current = null;
      setQuery(q);
      setResults([]);
      setError(null);
      setLoadingMore(false);
      if (q === '') {
        setStatus('idle');
        return;
      }
      setStatus('searching');
      client.search({ q, cid, userId, before, after, sort, limit }).then(
        (answer) => {
          if (current !== generation.current) return;
          page.current = answer;
          setResults(answer.results);
          setStatus('done');
        },
        (err: ChatError) => {
          if (current !== generation.current) return;
          setError(err);
          setStatus('error');
        },
      );
    },
    [client, cid, userId, before, after, sort, limit],
  );

  const loadMore = useCallback(() => {
    const next = page.current?.next() ?? null;
    if (next === null || loadingMore) return;
    const current = generation.current;
    setLoadingMore(true);
    next.then(
      (answer) => {
        if (current !== generation.current) return;
        page.current = answer;
        // A message edited between two pages may come twice: keep its first place.
        setResults((shown) => {
          const ids = new Set(shown.map((r) => r.message.id));
          return [...shown, ...answer.results.filter((r) => !ids.has(r.message.id))];
        });
        setLoadingMore(false);
      },
      (err: ChatError) => {
        if (current !== generation.current) return;
        setError(err);
        setLoadingMore(false);
      },
    );
  }, [loadingMore]);

  return {
    query,
    results,
    status,
    error,
    hasMore: page.current?.nextCursor != null,
    loadingMore,
    search,
    loadMore,
  };
}
