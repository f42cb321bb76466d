'use client';
import { placeholderUser, type LocalMessage } from '@parley/client';
import { useTranslator } from '../i18n/locale-context.js';
import { displayName } from './user-name.js';

type QuotedMessage = NonNullable<LocalMessage['quoted_message']>;

/** Longest quoted text shown; the rest is cut with an ellipsis. */
const QUOTE_CHARS = 160;

/**
 * A preview of the message a message quotes: its author and the start of its text; with
 * `onShow`, a button that shows the quoted message.
 */
export function MessageQuote({ quoted, onShow }: { quoted: QuotedMessage; onShow?: () => void }) {
  const { t } = useTranslator();
  const author = displayName(quoted.user ?? placeholderUser(quoted.user_id ?? ''));
  const chars = Array.from(quoted.text);
  const text =
    chars.length > QUOTE_CHARS ? `${chars.slice(0, QUOTE_CHARS).join('')}…` : quoted.text;
  const content = (
    <>
      <span className="parley-quote-author">{author}</span>
      {quoted.deleted_at !== null ? (
        <span className="parley-quote-text parley-deleted">{t('message.deleted')}</span>
      ) : (
        <span className="parley-quote-text" dir="auto">
          {text}
        </span>
      )}
    </>
  );
  return (
    <blockquote
      className="parley-quote"
      aria-label={t('message.quoteOf', { name: author })}
      data-quoted-id={quoted.id}
    >
      {onShow === undefined ? (
        content
      ) : (
        <button
          type="button"
          className="parley-quote-show"
          title={t('message.showQuoted')}
          onClick={onShow}
        >
          {content}
        </button>
      )}
    </blockquote>
  );
}
