'use client';
import { usePresence } from '../hooks/use-presence.js';
import { useTranslator } from '../i18n/locale-context.js';
import type { User } from '../types.js';
import { displayName, initials } from './user-name.js';

/** A user's picture (or initials) with a presence dot. */
export function Avatar({ user }: { user: User }) {
  const { online } = usePresence(user.id);
  const { t } = useTranslator();
  const name = displayName(user);
  return (
    <span className="parley-avatar-wrap">
      {user.image !== null && user.image !== '' ? (
        <img className="parley-avatar" src={user.image} alt="" />
      ) : (
        <span className="parley-avatar parley-avatar-initials" aria-hidden="true">
          {initials(name)}
        </span>
      )}
      <span
        className={`parley-presence ${online ? 'parley-presence-online' : 'parley-presence-offline'}`}
        role="img"
        aria-label={t(online ? 'presence.online' : 'presence.offline', { name })}
      />
    </span>
  );
}
