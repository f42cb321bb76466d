'use client';
import { placeholderUser, type LocalMessage } from '@parley/client';
import { useTranslator } from '../i18n/locale-context.js';
import { displayName } from './user-name.js';

type QuotedMessage = NonNullable<LocalMessage['quoted_message']>;

/** Longest quoted text shown; the rest is cut with an ellipsis. */
const QUOTE_CHARS = 160;

/** A preview of the message a message quotes: its author and the start of its text. */
export function MessageQuote({ quoted }: { quoted: QuotedMessage }) {
  const { t } = useTranslator();
  const author = displayName(quoted.user ?? placeholderUser(quoted.user_id ?? ''));
  const chars = Array.from(quoted.text);
  const text =
    chars.length > QUOTE_CHARS ? `${chars.slice(0, QUOTE_CHARS).join('')}…` : quoted.text;
  return (
    <blockquote
      className="parley-quote"
      aria-label={t('message.quoteOf', { name: author })}
      data-quoted-id={quoted.id}
    >
      <span className="parley-quote-author">{author}</span>
      {quoted.deleted_at !== null ? (
        <span className="parley-quote-text parley-deleted">{t('message.deleted')}</span>
      ) : (
        <span className="parley-quote-text" dir="auto">
          {text}
        </span>
      )}
    </blockquote>
  );
}
