'use client';
import { useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useChannelContext } from './channel-context.js';

/** What `MessageInput` takes. */
export interface MessageInputProps {
  /** Default "Write a message…". */
  placeholder?: string;
}

/**
 * A growing text box: Enter sends, Shift+Enter adds a line. While offline a message is
 * queued by the client and shown as "Sending…" in the list, never refused.
 */
export function MessageInput({ placeholder = 'Write a message…' }: MessageInputProps) {
  const { channel } = useChannelContext();
  const [text, setText] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);

  const send = () => {
    if (text.trim() === '') return;
    // A refusal shows on the message itself (failed, with Retry); nothing to do here.
    channel.sendMessage({ text }).catch(() => undefined);
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
  return (
    <form className="parley-input" onSubmit={onSubmit}>
      <textarea
        ref={box}
        className="parley-input-text"
        aria-label="Message"
        rows={1}
        placeholder={placeholder}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          grow(event.target);
          if (event.target.value !== '') channel.keystroke();
        }}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="parley-button parley-send" disabled={text.trim() === ''}>
        Send
      </button>
    </form>
  );
}

/** Fits the box to its text, up to the CSS max-height (past it, it scrolls). */
function grow(box: HTMLTextAreaElement): void {
  box.style.height = 'auto';
  box.style.height = `${box.scrollHeight}px`;
}
