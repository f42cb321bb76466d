'use client';
import { useContext, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { AttachmentSlotsContext } from './attachment-slots.js';
import { useChannelContext } from './channel-context.js';

/** What `MessageInput` takes. */
export interface MessageInputProps {
  /** Default "Write a message…". */
  placeholder?: string;
  /** With `<Attachments>`: MIME types, patterns (`image/*`) or extensions (`.pdf`) accepted. */
  acceptedFiles?: readonly string[];
  /** With `<Attachments>`: the largest file accepted, in bytes. */
  maxFileSize?: number;
  /** With `<Attachments>`: several files per message. */
  multipleUploads?: boolean;
}

/**
 * A growing text box: Enter sends, Shift+Enter adds a line. While offline a message is
 * queued by the client and shown as "Sending…" in the list, never refused.
 */
export function MessageInput({
  placeholder = 'Write a message…',
  acceptedFiles,
  maxFileSize,
  multipleUploads = false,
}: MessageInputProps) {
  const { channel } = useChannelContext();
  const { Input } = useContext(AttachmentSlotsContext);
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const box = useRef<HTMLTextAreaElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const empty = text.trim() === '' && files.length === 0;

  const send = () => {
    if (empty) return;
    // A refusal shows on the message itself (failed, with Retry); nothing to do here.
    channel.sendMessage(files.length > 0 ? { text, attachments: files } : { text }).catch(() => {});
    setText('');
    setFiles([]);
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
      <button type="submit" className="parley-button parley-send" disabled={empty}>
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
