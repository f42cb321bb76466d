import { placeholderUser, type ChannelStateSnapshot } from '@parley/client';
import type { User } from '../types.js';

/** A user as the channel knows them, or a stand-in with only the id. */
export function userOf(state: ChannelStateSnapshot, id: string): User {
  return state.members[id]?.user ?? placeholderUser(id);
}

/** The name to show: the user's name, else their id. */
export function displayName(user: Pick<User, 'id' | 'name'>): string {
  return user.name !== null && user.name.trim() !== '' ? user.name : user.id;
}

/** Up to two initials for an avatar without an image. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : [name];
  return letters
    .map((word) => Array.from(word ?? '')[0] ?? '')
    .join('')
    .toUpperCase();
}
