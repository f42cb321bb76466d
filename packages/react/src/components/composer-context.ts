'use client';
import type { LocalMessage } from '@parley/client';
import { createContext, useContext } from 'react';

/**
 * What the components of one `Channel` share besides the channel: the message being quoted
 * (chosen in `MessageList`, sent by `MessageInput`) and the open thread (chosen in
 * `MessageList`, shown by `Thread`).
 */
export interface ComposerContextValue {
  quoted: LocalMessage | null;
  quote(message: LocalMessage | null): void;
  /** The parent of the open thread, or null. */
  threadId: string | null;
  openThread(parentId: string | null): void;
}

export const ComposerContext = createContext<ComposerContextValue | null>(null);

/** The surrounding `Channel`'s quote and thread state; null outside one. */
export function useComposer(): ComposerContextValue | null {
  return useContext(ComposerContext);
}
