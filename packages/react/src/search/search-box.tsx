'use client';
import type { Channel as ChannelData, SearchResult } from '@parley/protocol';
import { useId, useState, type FormEvent } from 'react';
import { useTranslator } from '../i18n/locale-context.js';
import { HighlightedText } from './highlighted-text.js';
import { useSearch, type UseSearchOptions } from './use-search.js';

/** What `SearchBox` takes. */
export interface SearchBoxProps extends UseSearchOptions {
  /** A result was chosen: typically, open its channel at the message (`Channel`'s `focusMessageId`). */
  onSelect?: (result: SearchResult) => void;
  /** A result's conversation as shown; default its `data.name`, else its id. */
  channelLabel?: (channel: ChannelData) => string;
  /** The visible label of the field; default "Search messages". */
  label?: string;
}

/**
 * A search form over the user's conversations and its results: each with its conversation,
 * author, time and the text with the matched parts marked; "More results" pages on; a
 * result is a button that calls `onSelect`.
 */
export function SearchBox({ onSelect, channelLabel, label, ...options }: SearchBoxProps) {
  const translator = useTranslator();
  const { t } = translator;
  const [text, setText] = useState('');
  const { query, results, status, error, hasMore, loadingMore, search, loadMore } =
    useSearch(options);
  const inputId = useId();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    search(text);
  };
  const nameOf = channelLabel ?? defaultChannelLabel;
  return (
    <div className="parley-search">
      <form role="search" className="parley-search-form" onSubmit={onSubmit}>
        <label htmlFor={inputId} className="parley-search-label">
          {label ?? t('search.label')}
        </label>
        <input
          id={inputId}
          type="search"
          className="parley-search-input"
          value={text}
          maxLength={200}
          placeholder={t('search.placeholder')}
          onChange={(event) => {
            setText(event.target.value);
            if (event.target.value === '') search('');
          }}
        />
        <button type="submit" className="parley-button">
          {t('search.submit')}
        </button>
      </form>
      <div className="parley-search-status" role="status">
        {status === 'searching' ? t('search.searching') : null}
        {status === 'done' && results.length === 0 ? t('search.none', { query }) : null}
        {status === 'done' && results.length > 0
          ? translator.plural(hasMore ? 'search.firstResults' : 'search.results', results.length, {
              query,
            })
          : null}
      </div>
      {error !== null ? (
        <p className="parley-search-error" role="alert">
          {t('search.error', { error: error.message })}
        </p>
      ) : null}
      {results.length > 0 ? (
        <ul className="parley-search-results" aria-label={t('search.resultsLabel')}>
          {results.map((result) => {
            const { message, channel } = result;
            const time = new Date(message.created_at);
            return (
              <li key={message.id}>
                <button
                  type="button"
                  className="parley-search-result"
                  onClick={() => onSelect?.(result)}
                >
                  <span className="parley-search-result-meta">
                    <span className="parley-search-result-channel">{nameOf(channel)}</span>
                    {' · '}
                    <span className="parley-search-result-author">
                      {message.user?.name ?? message.user_id ?? ''}
                    </span>
                    {' · '}
                    <time dateTime={message.created_at} suppressHydrationWarning>
                      {translator.dateTime(time)}
                    </time>
                  </span>
                  <span className="parley-search-result-text" dir="auto">
                    <HighlightedText text={message.text} highlights={result.highlights} />
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      {hasMore ? (
        <button
          type="button"
          className="parley-button parley-search-more"
          disabled={loadingMore}
          onClick={loadMore}
        >
          {loadingMore ? t('search.loadingMore') : t('search.more')}
        </button>
      ) : null}
    </div>
  );
}

function defaultChannelLabel(channel: ChannelData): string {
  const name = channel.data['name'];
  return typeof name === 'string' && name.trim() !== '' ? name : channel.id;
}
