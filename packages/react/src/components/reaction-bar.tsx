'use client';
import type { Channel, LocalMessage } from '@parley/client';
import { useTranslator } from '../i18n/locale-context.js';
import { reactionLabel } from './emoji-set.js';
import { displayName } from './user-name.js';

/** What `ReactionBar` takes. */
export interface ReactionBarProps {
  message: LocalMessage;
  channel: Channel;
  me: string | undefined;
  /** Says why a reaction was refused (it is rolled back). */
  onError(error: Error): void;
}

/**
 * A message's reactions: one toggle per type with its count, pressed when the viewer reacted
 * so; who reacted is its tooltip and accessible name.
 */
export function ReactionBar({ message, channel, me, onError }: ReactionBarProps) {
  const translator = useTranslator();
  const { t } = translator;
  const types = Object.entries(message.reaction_counts);
  if (types.length === 0) return null;
  const own = new Set(message.own_reactions.map((r) => r.type));
  return (
    <div className="parley-reactions" role="group" aria-label={t('reactions.label')}>
      {types.map(([type, count]) => {
        const emoji = reactionLabel(type);
        const users = message.latest_reactions.filter((r) => r.type === type);
        const names = users.map((r) =>
          r.user_id === me
            ? t('reactions.you')
            : displayName(r.user ?? { id: r.user_id, name: null }),
        );
        if (own.has(type) && !users.some((r) => r.user_id === me)) {
          names.unshift(t('reactions.you'));
        }
        const more = count - names.length;
        const who =
          more > 0
            ? translator.plural('reactions.whoMore', more, {
                emoji,
                count,
                names: translator.list(names, true),
                more,
              })
            : t('reactions.who', { emoji, count, names: translator.list(names) });
        const pressed = own.has(type);
        return (
          <button
            key={type}
            type="button"
            className={`parley-reaction${pressed ? ' parley-reaction-own' : ''}`}
            aria-pressed={pressed}
            aria-label={who}
            title={who}
            onClick={() => {
              const done = pressed
                ? channel.deleteReaction(message.id, type)
                : channel.sendReaction(message.id, type);
              done.catch(onError);
            }}
          >
            <span aria-hidden="true">{emoji}</span>{' '}
            <span className="parley-reaction-count">{count}</span>
          </button>
        );
      })}
    </div>
  );
}
