'use client';
import { DEFAULT_LIMITS } from '@parley/protocol/codes';
import { placeholderUser, type LocalMessage, type SendMessageInput } from '@parley/client';
import {
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { useTranslator } from '../i18n/locale-context.js';
import { useChatContext } from '../session/chat-context.js';
import type { User } from '../types.js';
import { AttachmentSlotsContext } from './attachment-slots.js';
import { useChannelContext } from './channel-context.js';
import { useComposer } from './composer-context.js';
import {
  insertMention,
  mentionAt,
  mentionedIds,
  suggestions,
  type MentionQuery,
} from './mention-query.js';
import { MessageQuote } from './message-quote.js';
import { displayName } from './user-name.js';
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
  /**
   * Sends instead of `channel.sendMessage` (a `Thread` sends replies with it). Default: the
   * channel's `sendMessage`.
   */
  send?: (input: SendMessageInput) => Promise<LocalMessage>;
  /** Default: the table's `input.label` ("Message"). */
  label?: string;
  /** With `<Attachments>`: MIME types, patterns (`image/*`) or extensions (`.pdf`) accepted. */
  acceptedFiles?: readonly string[];
  /** With `<Attachments>`: the largest file accepted, in bytes. */
  maxFileSize?: number;
  /** With `<Attachments>`: several files per message. */
  multipleUploads?: boolean;
}

/** The counter shows from this share of `maxLength` on. */
const COUNTER_FROM = 0.9;

/**
 * A growing text box: Enter sends, Shift+Enter adds a line. While offline a message is
 * queued by the client and shown as "Sending…" in the list, never refused. Text over
 * `maxLength` is kept, with a counter and an error, and not sent; a send the client refuses
 * puts the text back with the reason. Typing `@` offers the channel's members (arrows move,
 * Enter or Tab picks, Escape closes); the members picked are sent as `mentionedUsers`.
 */
export function MessageInput({
  placeholder,
  maxLength = DEFAULT_LIMITS.maxMessageLength,
  send: sendInput,
  label,
  acceptedFiles,
  maxFileSize,
  multipleUploads = false,
}: MessageInputProps) {
  const { channel } = useChannelContext();
  const { Input } = useContext(AttachmentSlotsContext);
  const [files, setFiles] = useState<File[]>([]);
  const form = useRef<HTMLFormElement>(null);
  const { client } = useChatContext();
  const composer = useComposer();
  const [mention, setMention] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  const [picked, setPicked] = useState<User[]>([]);
  const listId = useId();
  // A thread's input does not take the channel's quote.
  const quoted = sendInput === undefined ? (composer?.quoted ?? null) : null;
  const { t, number } = useTranslator();
  const [text, setText] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const errorId = useId();
  const counterId = useId();

  // Read when offered, not subscribed to: members change rarely, messages often.
  const offered =
    mention === null
      ? []
      : suggestions(Object.values(channel.state.members), mention.query, client.user?.id);
  const listOpen = offered.length > 0;
  const length = textLength(text, maxLength);
  const tooLong = length > maxLength;
  const blank = text.trim() === '' && files.length === 0;
  const error = tooLong
    ? t('input.tooLong', { count: number(length), max: number(maxLength) })
    : refusal;

  // Quoting a message: type the text around it.
  useEffect(() => {
    if (quoted !== null) box.current?.focus();
  }, [quoted]);

  const send = () => {
    if (blank || tooLong) return;
    const sending = text;
    setRefusal(null);
    const input: SendMessageInput = { text: sending };
    if (files.length > 0) input.attachments = files;
    const mentioned = mentionedIds(sending, picked);
    if (mentioned.length > 0) input.mentionedUsers = mentioned;
    setPicked([]);
    setMention(null);
    if (quoted !== null) {
      input.quotedMessageId = quoted.id;
      composer?.quote(null);
    }
    (sendInput ?? ((i: SendMessageInput) => channel.sendMessage(i)))(input).catch(
      (failure: Error) => {
        // A refusal the list shows (failed, with Retry) is on the message already; one that
        // never made a message (the client refused the text) would lose it: put it back.
        if (channel.state.messages.some((m) => m.error === failure)) return;
        setText((now) => (now === '' ? sending : now));
        if (quoted !== null) composer?.quote(quoted);
        setRefusal(t('input.notSent', { error: failure.message }));
      },
    );
    setText('');
    setFiles([]);
    if (box.current !== null) box.current.style.height = '';
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };
  const pick = (user: User) => {
    if (mention === null) return;
    const next = insertMention(text, mention, user);
    setText(next.text);
    setPicked((list) => [...list, user]);
    setMention(null);
    const element = box.current;
    if (element !== null) {
      // After React wrote the new value: put the caret after the mention.
      requestAnimationFrame(() => element.setSelectionRange(next.caret, next.caret));
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (listOpen) {
      const key = event.key;
      if (key === 'ArrowDown' || key === 'ArrowUp') {
        event.preventDefault();
        const step = key === 'ArrowDown' ? 1 : -1;
        setActive((active + step + offered.length) % offered.length);
        return;
      }
      if (key === 'Enter' || key === 'Tab') {
        event.preventDefault();
        pick(offered[Math.min(active, offered.length - 1)]!);
        return;
      }
      if (key === 'Escape') {
        event.preventDefault();
        setMention(null);
        return;
      }
    }
    // isComposing: Enter that ends an IME composition is not a send.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };
  const counted = length >= maxLength * COUNTER_FROM;
  const describedBy = [counted ? counterId : '', error === null ? '' : errorId].join(' ').trim();
  return (
    <form className="parley-input" onSubmit={onSubmit} ref={form}>
      {Input === undefined ? null : (
        <Input
          files={files}
          setFiles={setFiles}
          form={form}
          acceptedFiles={acceptedFiles}
          maxFileSize={maxFileSize}
          multipleUploads={multipleUploads}
        />
      )}
      {quoted === null ? null : (
        <div className="parley-input-quote">
          <span className="parley-input-quote-label">
            {t('input.replyingTo', { name: quotedName(quoted) })}
          </span>
          <MessageQuote quoted={quoted} />
          <button
            type="button"
            className="parley-button parley-input-quote-cancel"
            aria-label={t('input.cancelQuote')}
            onClick={() => {
              composer?.quote(null);
              box.current?.focus();
            }}
          >
            <span aria-hidden="true">×</span>
          </button>
        </div>
      )}
      <textarea
        ref={box}
        className="parley-input-text"
        aria-label={label ?? t('input.label')}
        aria-invalid={tooLong || undefined}
        aria-describedby={describedBy === '' ? undefined : describedBy}
        aria-autocomplete="list"
        aria-controls={listOpen ? listId : undefined}
        aria-activedescendant={listOpen ? `${listId}-${active}` : undefined}
        rows={1}
        placeholder={placeholder ?? t('input.placeholder')}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setRefusal(null);
          setMention(mentionAt(event.target.value, event.target.selectionStart));
          setActive(0);
          grow(event.target);
          if (event.target.value !== '') channel.keystroke();
        }}
        onKeyDown={onKeyDown}
      />
      {listOpen ? (
        <ul id={listId} className="parley-mentions" role="listbox" aria-label={t('input.mentions')}>
          {offered.map((user, i) => (
            <li
              key={user.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className="parley-mention-option"
              // mousedown, not click: the text box keeps the focus.
              onMouseDown={(event) => {
                event.preventDefault();
                pick(user);
              }}
            >
              {displayName(user)}
            </li>
          ))}
        </ul>
      ) : null}
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

function quotedName(message: LocalMessage): string {
  return displayName(message.user ?? placeholderUser(message.user_id ?? ''));
}

/** Fits the box to its text, up to the CSS max-height (past it, it scrolls). */
function grow(box: HTMLTextAreaElement): void {
  box.style.height = 'auto';
  box.style.height = `${box.scrollHeight}px`;
}
