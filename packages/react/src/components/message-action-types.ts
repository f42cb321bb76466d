import type { LocalMessage } from '@parley/client';
import type { Member } from '../types.js';

/** An entry of the message actions menu. */
export type MessageAction = 'react' | 'reply' | 'quote' | 'edit' | 'delete' | 'pin' | 'copy';

/** Every action, in the menu's order. */
export const ALL_MESSAGE_ACTIONS: readonly MessageAction[] = [
  'react',
  'reply',
  'quote',
  'edit',
  'delete',
  'pin',
  'copy',
];

/** Who is looking at a message, for which actions apply to it. */
export interface Viewer {
  id: string | undefined;
  /** Their channel membership (role owner / moderator / member), if known. */
  member: Member | undefined;
  /** Their app-wide role. */
  role: string | undefined;
  /** Thread and quote actions need a surrounding `Channel`. */
  composer: boolean;
  /** Copy needs the clipboard. */
  clipboard: boolean;
}

/**
 * The `wanted` actions that apply to `message` for `viewer`, in menu order: none on a
 * tombstone or an unsent message; edit for the author; delete for the author, moderators and
 * admins; pin for owners, moderators and admins (as the server allows them).
 */
export function actionsFor(
  message: LocalMessage,
  wanted: readonly MessageAction[],
  viewer: Viewer,
): MessageAction[] {
  if (message.deleted_at !== null || message.status !== 'sent' || message.type === 'system') {
    return [];
  }
  const own = message.user_id !== null && message.user_id === viewer.id;
  const admin = viewer.role === 'admin';
  const moderates = admin || viewer.member?.role === 'owner' || viewer.member?.role === 'moderator';
  const allowed: Record<MessageAction, boolean> = {
    react: true,
    reply: viewer.composer && message.parent_id === null,
    quote: viewer.composer,
    edit: own,
    delete: own || moderates,
    pin: moderates,
    copy: viewer.clipboard && message.text !== '',
  };
  return ALL_MESSAGE_ACTIONS.filter((action) => wanted.includes(action) && allowed[action]);
}
