'use client';
import { ChatClient, type ChatClientOptions } from '@parley/client';
import { useMemo, useState, type ReactNode } from 'react';
import type { Messages } from './i18n/en.js';
import { LocaleContext } from './i18n/locale-context.js';
import { createTranslator, type DateFormats } from './i18n/translator.js';
import { ChatContext, type ChatContextValue } from './session/chat-context.js';
import type { Theme } from './types.js';

/** What `ChatProvider` takes. */
export interface ChatProviderProps {
  /** The Parley server's base URL. */
  url: string;
  /** The app's public key. */
  apiKey?: string;
  /** More `ChatClientOptions` (WebSocket, queueStore, …); read once, when the client is made. */
  clientOptions?: Partial<ChatClientOptions>;
  /** A client to use instead of making one. */
  client?: ChatClient;
  /** Default `light`. */
  theme?: Theme;
  /**
   * The BCP 47 locale dates, times, lists and plurals are formatted in (also the root's
   * `lang`). Default: the viewer's.
   */
  locale?: string;
  /** The IANA time zone dates and times are shown in. Default: the viewer's. */
  timeZone?: string;
  /** Strings over the English table: a whole table (`pt`) or a few keys. */
  messages?: Partial<Messages>;
  /**
   * How times, day separators and full dates are written (`Intl.DateTimeFormat` options), over
   * the kit's defaults: an app passes the formats of its own pages for one date style.
   * Keep the object stable (a constant): a new one re-creates the formatters.
   */
  dateFormats?: Partial<DateFormats>;
  children?: ReactNode;
}

/**
 * Shares one `ChatClient` with everything below it and sets the theme. The client is made
 * once per (url, apiKey) — not on re-render or remount — and opens no socket by itself:
 * `useChatClient` connects the user.
 */
export function ChatProvider({
  url,
  apiKey,
  clientOptions,
  client: given,
  theme = 'light',
  locale,
  timeZone,
  messages,
  dateFormats,
  children,
}: ChatProviderProps) {
  const [owned, setOwned] = useState(() => ({
    url,
    apiKey,
    client: given ?? make(url, apiKey, clientOptions),
  }));
  let current = owned;
  if (given === undefined && (owned.url !== url || owned.apiKey !== apiKey)) {
    // A new server is a new client; updated during render, as React documents for derived state.
    current = { url, apiKey, client: make(url, apiKey, clientOptions) };
    setOwned(current);
  }
  const client = given ?? current.client;
  const value = useMemo<ChatContextValue>(() => ({ client }), [client]);
  const translator = useMemo(
    () => createTranslator({ locale, timeZone, messages, dateFormats }),
    [locale, timeZone, messages, dateFormats],
  );
  return (
    <ChatContext.Provider value={value}>
      <LocaleContext.Provider value={translator}>
        <div className={`parley parley-theme-${theme}`} data-parley-theme={theme} lang={locale}>
          {children}
        </div>
      </LocaleContext.Provider>
    </ChatContext.Provider>
  );
}

function make(url: string, apiKey: string | undefined, options?: Partial<ChatClientOptions>) {
  // The constructor opens nothing and reads no window: safe during server rendering.
  return new ChatClient({ ...options, url, ...(apiKey === undefined ? {} : { apiKey }) });
}
