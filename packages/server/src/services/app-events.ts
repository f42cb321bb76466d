import type { AppEvent, ChannelTypeSettings, UserRole } from '@parley/protocol';
import type {
  AppEventDraft,
  FlagRecord,
  RestrictionRecord,
} from '../storage/moderation-records.js';
import { iso, isoOrNull } from './wire.js';

// App events (moderation of no one channel), built for the storage to number and store
// with their action; the webhook dispatcher delivers them (see the protocol's app-events).

/** An event's fields but those the storage adds (`type`, `seq`, `created_at`). */
type Fields<T extends AppEvent['type']> = Omit<
  Extract<AppEvent, { type: T }>,
  'type' | 'seq' | 'created_at'
>;

function draft<T extends AppEvent['type']>(type: T, at: number, fields: Fields<T>): AppEventDraft {
  return { type, createdAt: at, payload: fields as Record<string, unknown> };
}

/** A flag as the wire shows it, without its message and context (the queue adds them). */
export function flagFields(flag: FlagRecord): Fields<'flag.created'>['flag'] {
  return {
    id: flag.id,
    kind: flag.kind,
    cid: flag.cid,
    message_id: flag.messageId,
    target_user_id: flag.targetUserId,
    flagged_by: flag.flaggedBy,
    reason: flag.reason,
    created_at: iso(flag.createdAt),
    resolution: flag.resolution?.kind ?? null,
    resolved_by: flag.resolution?.byUserId ?? null,
    resolved_at: isoOrNull(flag.resolution?.at ?? null),
  };
}

export function flagCreated(flag: FlagRecord): AppEventDraft {
  return draft('flag.created', flag.createdAt, { flag: flagFields(flag) });
}

export function flagResolved(flag: FlagRecord, reason: string | null): AppEventDraft {
  return draft('flag.resolved', flag.resolution?.at ?? Date.now(), {
    flag: flagFields(flag),
    reason,
  });
}

/** An app-wide ban (a restriction without cid). */
export function userBanned(ban: RestrictionRecord): AppEventDraft {
  return draft('user.banned', ban.createdAt, {
    user_id: ban.userId,
    by_user_id: ban.byUserId,
    reason: ban.reason,
    expires_at: isoOrNull(ban.expiresAt),
  });
}

export function userUnbanned(
  userId: string,
  by: string | null,
  reason: string | null,
  at: number,
): AppEventDraft {
  return draft('user.unbanned', at, { user_id: userId, by_user_id: by, reason });
}

export function userRoleChanged(
  userId: string,
  role: UserRole,
  previous: UserRole,
  by: string | null,
  at: number,
): AppEventDraft {
  return draft('user.role_changed', at, {
    user_id: userId,
    role,
    previous_role: previous,
    by_user_id: by,
  });
}

/** A channel type created or changed, with its settings as they are now. */
export function channelTypeSaved(
  mode: 'create' | 'update',
  settings: ChannelTypeSettings,
  at: number,
): AppEventDraft {
  const type = mode === 'create' ? 'channel_type.created' : 'channel_type.updated';
  return draft(type, at, { channel_type: settings });
}
