import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import { AtasError } from '../atas-error.js';
import type { AtasDatabase, InvitationStatus, InvitationsTable } from '../db/database.js';
import { hasJoined } from './accounts.js';
import { toEventJson, type EventJson, type EventRow } from './events.js';

export type InvitationRow = Selectable<InvitationsTable>;

/** An invitation as clients see it, with its event and both people. */
export interface InvitationJson {
  id: string;
  status: InvitationStatus;
  message: string | null;
  conversation_uuid: string;
  event: EventJson;
  organizer: { id: string; name: string; avatar_url: string | null };
  speaker: {
    id: string;
    name: string;
    avatar_url: string | null;
    email: string;
    /** False until a speaker invited by email sets a password through the invite link. */
    joined: boolean;
  };
  /** The request's Parley channel (see chat/chat-service.ts). */
  chat: { type: string; id: string; cid: string };
  created_at: string;
  updated_at: string;
}

/** Invitations ("requests"): an organizer invites a speaker to one of their events. */
export class Invitations {
  constructor(private readonly db: Kysely<AtasDatabase>) {}

  /** `already_invited` when the speaker has an invitation to this event. */
  async create(input: {
    event: EventRow;
    speakerId: string;
    message?: string | null | undefined;
  }): Promise<InvitationRow> {
    const existing = await this.db
      .selectFrom('atas_invitations')
      .select('id')
      .where('event_id', '=', input.event.id)
      .where('speaker_id', '=', input.speakerId)
      .executeTakeFirst();
    if (existing !== undefined) {
      throw new AtasError('already_invited', 'this speaker is already invited to this event', {
        invitation_id: existing.id,
      });
    }
    const now = Date.now();
    const row: InvitationRow = {
      id: randomUUID(),
      event_id: input.event.id,
      organizer_id: input.event.organizer_id,
      speaker_id: input.speakerId,
      status: 'pending',
      conversation_uuid: randomUUID(),
      message: input.message ?? null,
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('atas_invitations').values(row).execute();
    return row;
  }

  findById(id: string): Promise<InvitationRow | undefined> {
    return this.db
      .selectFrom('atas_invitations')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** An event's invitations, newest first. */
  listByEvent(eventId: string): Promise<InvitationRow[]> {
    return this.db
      .selectFrom('atas_invitations')
      .selectAll()
      .where('event_id', '=', eventId)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
  }

  /**
   * The organizer takes a pending or accepted invitation back; conditional like `answer`,
   * so it races safely with the speaker's answer. `invitation_not_withdrawable` otherwise.
   */
  async withdraw(id: string): Promise<{ row: InvitationRow; was: InvitationStatus }> {
    return this.db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('atas_invitations')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (before === undefined) throw new AtasError('invitation_not_found', 'no such invitation');
      const result = await trx
        .updateTable('atas_invitations')
        .set({ status: 'withdrawn', updated_at: Date.now() })
        .where('id', '=', id)
        .where('status', 'in', ['pending', 'accepted'])
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) {
        throw new AtasError(
          'invitation_not_withdrawable',
          `a ${before.status} invitation cannot be withdrawn`,
        );
      }
      const row = await trx
        .selectFrom('atas_invitations')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return { row, was: before.status };
    });
  }

  /** The user's invitations (as organizer or speaker): pending first, then newest first. */
  listFor(userId: string): Promise<InvitationRow[]> {
    return this.db
      .selectFrom('atas_invitations')
      .selectAll()
      .where((eb) => eb.or([eb('organizer_id', '=', userId), eb('speaker_id', '=', userId)]))
      .orderBy(sql`case when status = 'pending' then 0 else 1 end`)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
  }

  /**
   * Moves a pending invitation to `status`; the `where status = 'pending'` makes two racing
   * answers safe: only one wins, the other gets `invitation_not_pending`.
   */
  async answer(id: string, status: 'accepted' | 'declined'): Promise<InvitationRow> {
    const result = await this.db
      .updateTable('atas_invitations')
      .set({ status, updated_at: Date.now() })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) {
      throw new AtasError('invitation_not_pending', 'this invitation has already been answered');
    }
    const row = await this.findById(id);
    if (row === undefined) throw new AtasError('invitation_not_found', 'no such invitation');
    return row;
  }

  /** The invitation with its event and people, for clients. */
  async toJson(row: InvitationRow): Promise<InvitationJson> {
    const [event, organizer, speaker] = await Promise.all([
      this.db
        .selectFrom('atas_events')
        .selectAll()
        .where('id', '=', row.event_id)
        .executeTakeFirstOrThrow(),
      this.person(row.organizer_id),
      this.db
        .selectFrom('atas_users')
        .select(['id', 'name', 'avatar_url', 'email', 'password_hash'])
        .where('id', '=', row.speaker_id)
        .executeTakeFirstOrThrow(),
    ]);
    const channelId = requestChannelId(row.conversation_uuid);
    return {
      id: row.id,
      status: row.status,
      message: row.message,
      conversation_uuid: row.conversation_uuid,
      event: toEventJson(event),
      organizer,
      speaker: {
        id: speaker.id,
        name: speaker.name,
        avatar_url: speaker.avatar_url,
        email: speaker.email,
        joined: hasJoined(speaker),
      },
      chat: {
        type: REQUEST_CHANNEL_TYPE,
        id: channelId,
        cid: `${REQUEST_CHANNEL_TYPE}:${channelId}`,
      },
      created_at: new Date(row.created_at).toISOString(),
      updated_at: new Date(row.updated_at).toISOString(),
    };
  }

  private person(id: string): Promise<{ id: string; name: string; avatar_url: string | null }> {
    return this.db
      .selectFrom('atas_users')
      .select(['id', 'name', 'avatar_url'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }
}

/** Parley channel type of a request's Communication Log. */
export const REQUEST_CHANNEL_TYPE = 'request';

/** A request's channel id: `legacy_{conversation_uuid}`, so the migrated log lands in it. */
export function requestChannelId(conversationUuid: string): string {
  return `legacy_${conversationUuid}`;
}

/** True when the user is the invitation's organizer or speaker. */
export function isParticipant(row: InvitationRow, userId: string): boolean {
  return row.organizer_id === userId || row.speaker_id === userId;
}
