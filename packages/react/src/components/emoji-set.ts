import type { ComponentType } from 'react';

/** The reactions offered without a full picker: reaction types that are the emoji themselves. */
export const DEFAULT_REACTIONS: readonly string[] = ['👍', '❤️', '😂', '😮', '😢', '🎉'];

/** Named reaction types other clients send, shown as their emoji. */
const NAMED: Readonly<Record<string, string>> = {
  like: '👍',
  love: '❤️',
  heart: '❤️',
  haha: '😂',
  wow: '😮',
  sad: '😢',
  angry: '😠',
  tada: '🎉',
};

/** How a reaction type shows: its emoji for a known name, else the type itself. */
export function reactionLabel(type: string): string {
  return NAMED[type] ?? type;
}

/**
 * A full emoji picker plugged into the actions menu's "More reactions": it gets the chosen
 * emoji to `onPick` (a reaction type) and `onClose` to go back; focus moves into it on open.
 */
export type EmojiPickerComponent = ComponentType<{
  onPick(emoji: string): void;
  onClose(): void;
}>;
