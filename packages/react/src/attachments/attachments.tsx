'use client';
import type { ReactNode } from 'react';
import { AttachmentSlotsContext, type AttachmentSlots } from '../components/attachment-slots.js';
import { InputFiles } from './input-files.js';
import { MessageFiles } from './message-files.js';

const SLOTS: AttachmentSlots = { Message: MessageFiles, Input: InputFiles };

/**
 * Turns on files in the `MessageInput`s and `MessageList`s under it: an attach button,
 * drag and drop, pasted images, previews and progress; images, players and file chips in
 * messages. A separate entry point, so a chat without files does not ship this code.
 */
export function Attachments({ children }: { children: ReactNode }) {
  return (
    <AttachmentSlotsContext.Provider value={SLOTS}>{children}</AttachmentSlotsContext.Provider>
  );
}
