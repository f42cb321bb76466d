'use client';
import { useTypingUsers } from '../hooks/use-typing-users.js';
import { useTranslator } from '../i18n/locale-context.js';
import { createTranslator, type Translator } from '../i18n/translator.js';
import type { User } from '../types.js';
import { useChannelContext } from './channel-context.js';
import { displayName } from './user-name.js';

/**
 * "Ana is typing…", "Ana and Ben are typing…", "Several people are typing…", or "" (in
 * `translator`'s language; English by default).
 */
export function typingText(
  users: readonly Pick<User, 'id' | 'name'>[],
  { t }: Pick<Translator, 't'> = createTranslator(),
): string {
  const [first = '', second = ''] = users.map(displayName);
  if (users.length === 0) return '';
  if (users.length === 1) return t('typing.one', { name: first });
  if (users.length === 2) return t('typing.two', { first, second });
  return t('typing.many');
}

/** Who else is typing in the surrounding `Channel`, announced politely. */
export function TypingIndicator() {
  const { channel } = useChannelContext();
  const text = typingText(useTypingUsers(channel), useTranslator());
  return (
    <div className="parley-typing" aria-live="polite">
      {text}
    </div>
  );
}
