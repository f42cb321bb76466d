'use client';
import { useTypingUsers } from '../hooks/use-typing-users.js';
import type { User } from '../types.js';
import { useChannelContext } from './channel-context.js';
import { displayName } from './user-name.js';

/** "Ana is typing…", "Ana and Ben are typing…", "Several people are typing…", or "". */
export function typingText(users: readonly Pick<User, 'id' | 'name'>[]): string {
  const [first, second] = users.map(displayName);
  if (users.length === 0) return '';
  if (users.length === 1) return `${first} is typing…`;
  if (users.length === 2) return `${first} and ${second} are typing…`;
  return 'Several people are typing…';
}

/** Who else is typing in the surrounding `Channel`, announced politely. */
export function TypingIndicator() {
  const { channel } = useChannelContext();
  const text = typingText(useTypingUsers(channel));
  return (
    <div className="parley-typing" aria-live="polite">
      {text}
    </div>
  );
}
