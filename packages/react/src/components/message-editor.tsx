'use client';
import type { Channel, LocalMessage } from '@parley/client';
import { DEFAULT_LIMITS } from '@parley/protocol/codes';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslator } from '../i18n/locale-context.js';
import { textLength } from './text-length.js';

/** What `MessageEditor` takes. */
export interface MessageEditorProps {
  message: LocalMessage;
  channel: Channel;
  /** The edit was saved (shown at once) or cancelled. */
  onDone(): void;
  /** The server refused the edit (the client rolled it back). */
  onError(error: Error): void;
  maxLength?: number;
}

/**
 * Inline edit of a message's text: Enter or Save saves, Shift+Enter adds a line, Escape or
 * Cancel leaves it as it was. Text over the limit is kept with an error, never saved.
 */
export default function MessageEditor({
  message,
  channel,
  onDone,
  onError,
  maxLength = DEFAULT_LIMITS.maxMessageLength,
}: MessageEditorProps) {
  const { t, number } = useTranslator();
  const [text, setText] = useState(message.text);
  const box = useRef<HTMLTextAreaElement>(null);
  const errorId = useId();
  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    element.focus();
    element.setSelectionRange(element.value.length, element.value.length);
  }, []);
  const length = textLength(text, maxLength);
  const tooLong = length > maxLength;
  const blank = text.trim() === '';

  const save = (event?: FormEvent) => {
    event?.preventDefault();
    if (blank || tooLong) return;
    if (text !== message.text) {
      channel.updateMessage(message.id, { text }).catch((error: Error) => onError(error));
    }
    onDone();
  };
  return (
    <form className="parley-editor" onSubmit={save}>
      <textarea
        ref={box}
        className="parley-input-text parley-editor-text"
        aria-label={t('edit.label')}
        aria-invalid={tooLong || undefined}
        aria-describedby={tooLong ? errorId : undefined}
        dir="auto"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            onDone();
          } else if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
            save(event);
          }
        }}
      />
      <div className="parley-editor-buttons">
        <button type="button" className="parley-button" onClick={onDone}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="parley-button parley-send" disabled={blank || tooLong}>
          {t('common.save')}
        </button>
      </div>
      {tooLong ? (
        <p id={errorId} className="parley-input-error" role="alert">
          {t('input.tooLong', { count: number(length), max: number(maxLength) })}
        </p>
      ) : null}
    </form>
  );
}
