'use client';
import type { LocalMessage } from '@parley/client';
import { createContext, useContext } from 'react';

/** What `showMessage` needs of a message: a reply kept in its thread is shown there. */
export interface ShownMessage {
  id: string;
  parent_id?: string | null;
  show_in_channel?: boolean;
}

/**
 * What the components of one `Channel` share besides the channel: the message being quoted
 * (chosen in `MessageList`, sent by `MessageInput`), the open thread (chosen in
 * `MessageList`, shown by `Thread`) and the message to show (a pin or a quote picked).
 */
export interface ComposerContextValue {
  quoted: LocalMessage | null;
  quote(message: LocalMessage | null): void;
  /** The parent of the open thread, or null. */
  threadId: string | null;
  openThread(parentId: string | null): void;
  /**
   * Shows a message in the `MessageList` (loaded if needed, scrolled to and marked), as
   * `Channel`'s `focusMessageId` does; a reply not shown in the channel opens its thread.
   */
  showMessage(message: ShownMessage): void;
}

export const ComposerContext = createContext<ComposerContextValue | null>(null);

/** The surrounding `Channel`'s quote and thread state; null outside one. */
export function useComposer(): ComposerContextValue | null {
  return useContext(ComposerContext);
}
