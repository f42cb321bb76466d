'use client';
import { DEFAULT_LIMITS } from '@parley/protocol/codes';
import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslator } from '../i18n/locale-context.js';
import { useChannelContext } from './channel-context.js';
import { textLength } from './text-length.js';

/** What `MessageInput` takes. */
export interface MessageInputProps {
  /** Default: the table's `input.placeholder` ("Write a message…"). */
  placeholder?: string;
  /**
   * The longest text, in code points, as the server counts. Default 5,000, the server's
   * default `maxMessageLength`; set it to the server's if that is configured otherwise.
   */
  maxLength?: number;
}

/** The counter shows from this share of `maxLength` on. */
const COUNTER_FROM = 0.9;

/**
 * A growing text box: Enter sends, Shift+Enter adds a line. While offline a message is
 * queued by the client and shown as "Sending…" in the list, never refused. Text over
 * `maxLength` is kept, with a counter and an error, and not sent; a send the client refuses
 * puts the text back with the reason.
 */
export function MessageInput({
  placeholder,
  maxLength = DEFAULT_LIMITS.maxMessageLength,
}: MessageInputProps) {
  const { channel } = useChannelContext();
  const { t, number } = useTranslator();
  const [text, setText] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const errorId = useId();
  const counterId = useId();

  const length = textLength(text, maxLength);
  const tooLong = length > maxLength;
  const blank = text.trim() === '';
  const error = tooLong
    ? t('input.tooLong', { count: number(length), max: number(maxLength) })
    : refusal;

  const send = () => {
    if (blank || tooLong) return;
    const sending = text;
    setRefusal(null);
    channel.sendMessage({ text: sending }).catch((failure: Error) => {
      // A refusal the list shows (failed, with Retry) is on the message already; one that
      // never made a message (the client refused the text) would lose it: put it back.
      if (channel.state.messages.some((m) => m.error === failure)) return;
      setText((now) => (now === '' ? sending : now));
      setRefusal(t('input.notSent', { error: failure.message }));
    });
    setText('');
    if (box.current !== null) box.current.style.height = '';
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // isComposing: Enter that ends an IME composition is not a send.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };
  const counted = length >= maxLength * COUNTER_FROM;
  const describedBy = [counted ? counterId : '', error === null ? '' : errorId].join(' ').trim();
  return (
    <form className="parley-input" onSubmit={onSubmit}>
      <textarea
        ref={box}
        className="parley-input-text"
        aria-label={t('input.label')}
        aria-invalid={tooLong || undefined}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        rows={1}
        placeholder={placeholder ?? t('input.placeholder')}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setRefusal(null);
          grow(event.target);
          if (event.target.value !== '') channel.keystroke();
        }}
        onKeyDown={onKeyDown}
      />
      {counted ? (
        <span
          id={counterId}
          className={`parley-input-counter${tooLong ? ' parley-input-counter-over' : ''}`}
        >
          {t('input.counter', { count: number(length), max: number(maxLength) })}
        </span>
      ) : null}
      <button type="submit" className="parley-button parley-send" disabled={blank || tooLong}>
        {t('input.send')}
      </button>
      {error === null ? null : (
        <p id={errorId} className="parley-input-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** Fits the box to its text, up to the CSS max-height (past it, it scrolls). */
function grow(box: HTMLTextAreaElement): void {
  box.style.height = 'auto';
  box.style.height = `${box.scrollHeight}px`;
}
