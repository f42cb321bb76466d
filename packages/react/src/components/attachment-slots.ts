'use client';
import type { LocalMessage } from '@parley/client';
import { createContext, type ComponentType, type RefObject } from 'react';

/** What the message input hands its file controls. */
export interface InputFilesProps {
  /** The files to send with the next message. */
  files: File[];
  setFiles(files: File[]): void;
  /** The input's form: files dropped on it or pasted into it are added. */
  form: RefObject<HTMLFormElement | null>;
  /** MIME types or patterns (`image/*`) and extensions (`.pdf`) accepted; default all. */
  acceptedFiles: readonly string[] | undefined;
  /** Largest file accepted, in bytes; default the server's limit. */
  maxFileSize: number | undefined;
  /** Several files per message (default one). */
  multipleUploads: boolean;
}

/**
 * Where file support plugs into MessageInput and MessageList. Empty in the minimal chat;
 * `<Attachments>` from `@parley/react/attachments` fills it, so the file UI ships only to
 * apps that use it.
 */
export interface AttachmentSlots {
  /** Rendered in a message under its text: its files, or its uploads while pending. */
  Message?: ComponentType<{ message: LocalMessage }>;
  /** Rendered in the message input: the attach button, previews and their errors. */
  Input?: ComponentType<InputFilesProps>;
}

export const AttachmentSlotsContext = createContext<AttachmentSlots>({});
