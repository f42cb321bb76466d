import {
  ChatError,
  createParleyServerClient,
  type ChannelState,
  type GetOrCreateChannelResponse,
  type NotificationSettings,
  type ParleyServerClient,
  type SendMessageResponse,
  type User,
  type UserInput,
} from '@parley/server-sdk';
import { AtasError } from '../atas-error.js';
import type { UserRole } from '../db/database.js';
import { ATAS_CHANNEL_TYPES } from './channel-types.js';
import { conversationStats, type ConversationStats } from './conversation-stats.js';
import {
  REQUEST_CHANNEL_TYPE,
  requestChannelId,
  type InvitationRow,
} from '../services/invitations.js';

/** Where Parley is and how to reach it; the secret never leaves the API. */
export interface ParleyOptions {
  /** Parley's base URL, e.g. `http://127.0.0.1:3030`; also handed to browsers. */
  url: string;
  /** Parley's public api key; handed to browsers with their token. */
  apiKey: string;
  /** Parley's app secret (≥ 32 characters): signs user tokens and server calls. */
  secret: string;
  /** Milliseconds a call to Parley may take. Default 5_000. */
  timeoutMs?: number;
}

/**
 * The ATAS profile fields Parley shows, the address it emails about unread messages, and the
 * role it acts on (an admin is Parley's too).
 */
export interface ChatPerson {
  id: string;
  name: string;
  avatar_url: string | null;
  /** Pushed to Parley when given (server token only; Parley never shows it to others). */
  email?: string;
  /**
   * Only to tell whether the person has joined: `''` is an invited speaker without a
   * password, whose email is withheld (null) — they have the invite link, and the links in
   * Parley's emails lead to pages that need a login.
   */
  password_hash?: string;
  /** Left out: Parley keeps the role it has. */
  role?: UserRole;
}

/** DMs between two people outside a request. */
const DM_CHANNEL_TYPE = 'messaging';

/** Lifetime of the user tokens handed to browsers: they ask again before it passes. */
const USER_TOKEN_TTL_SECONDS = 60 * 60;

/**
 * The app's single door to Parley. Every call goes through the server SDK; a Parley that
 * cannot be reached (or cannot store) becomes `chat_unavailable` (503), anything else
 * Parley refuses is rethrown as the SDK's ChatError.
 */
export class ChatService {
  private readonly client: ParleyServerClient;
  /** ATAS's channel types, defined in Parley once per process (again after a failure). */
  private typesDefined: Promise<void> | undefined;

  /**
   * `webUrl` is the web app's public address: each channel's `data.url` (the link in
   * Parley's emails) is its page there. Without it channels get no `url`.
   */
  constructor(
    readonly options: ParleyOptions,
    private readonly webUrl?: string,
  ) {
    this.client = createParleyServerClient({
      url: options.url,
      apiKey: options.apiKey,
      secret: options.secret,
      timeoutMs: options.timeoutMs ?? 5_000,
    });
  }

  /**
   * A Parley user token for the browser, expiring after an hour. ATAS's channel types are
   * defined first: nobody talks in a conversation before its rules are Parley's.
   */
  async createUserToken(userId: string): Promise<string> {
    await this.defineChannelTypes();
    return this.call(() => this.client.createToken(userId, { expiresIn: USER_TOKEN_TTL_SECONDS }));
  }

  /**
   * Creates ATAS's channel types in Parley (`request`, `event`: see channel-types.ts), or
   * brings them to these settings. Done once per process; a Parley that was down is asked
   * again at the next call.
   */
  defineChannelTypes(): Promise<void> {
    this.typesDefined ??= this.call(async () => {
      for (const [name, settings] of Object.entries(ATAS_CHANNEL_TYPES)) {
        try {
          await this.client.createChannelType(name, settings);
        } catch (err) {
          if (!(err instanceof ChatError && err.code === 'channel_type_exists')) throw err;
          await this.client.updateChannelType(name, settings);
        }
      }
    }).catch((err: unknown) => {
      this.typesDefined = undefined;
      throw err;
    });
    return this.typesDefined;
  }

  /** Messages and first response of a conversation, from its history (see conversation-stats.ts). */
  conversationStats(channel: { type: string; id: string }): Promise<ConversationStats> {
    return this.call(() => conversationStats(this.client, channel));
  }

  /** Creates or updates the person in Parley with their ATAS name, avatar and email. */
  upsertUser(person: ChatPerson): Promise<User> {
    return this.call(() => this.client.upsertUser(toChatUser(person)));
  }

  /** The same for up to 100 people in one call. */
  async upsertUsers(people: ChatPerson[]): Promise<void> {
    await this.call(() => this.client.upsertUsers(people.map(toChatUser)));
  }

  /** The user's email address in Parley, whether email is on, and the muted channels. */
  notificationSettings(userId: string): Promise<NotificationSettings> {
    return this.call(() => this.client.getNotificationSettings(userId));
  }

  /** Turns the user's email on or off, mutes and unmutes channels (cids). */
  updateNotificationSettings(
    userId: string,
    change: { email_enabled?: boolean; mute?: string[]; unmute?: string[] },
  ): Promise<NotificationSettings> {
    return this.call(() => this.client.updateNotificationSettings(userId, change));
  }

  /** Every channel the user is a member of, latest activity first (up to `max`). */
  async channelsOf(userId: string, max = 500): Promise<ChannelState[]> {
    return this.call(async () => {
      const channels: ChannelState[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.client.queryChannels(userId, {
          limit: 100,
          messageLimit: 0,
          ...(cursor === undefined ? {} : { cursor }),
        });
        channels.push(...page.channels);
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined && channels.length < max);
      return channels.slice(0, max);
    });
  }

  /**
   * The request's channel `request:legacy_{conversation_uuid}`, created if missing with the
   * organizer (owner) and the speaker as members. Both are upserted first: members must exist.
   */
  async getOrCreateRequestChannel(
    invitation: InvitationRow,
    organizer: ChatPerson,
    speaker: ChatPerson,
  ): Promise<GetOrCreateChannelResponse> {
    await this.defineChannelTypes();
    return this.call(async () => {
      await this.client.upsertUsers([toChatUser(organizer), toChatUser(speaker)]);
      const url = this.pageUrl(`/dashboard/requests/${encodeURIComponent(invitation.id)}`);
      const state = await this.client.getOrCreateChannel(
        REQUEST_CHANNEL_TYPE,
        requestChannelId(invitation.conversation_uuid),
        {
          members: [organizer.id, speaker.id],
          createdById: organizer.id,
          data: { invitation_id: invitation.id, event_id: invitation.event_id, ...url },
          messageLimit: 0,
        },
      );
      await this.keepUrl(state, url);
      return state;
    });
  }

  /**
   * The event's chat `event:event_{id}`, created if missing with the organizer as owner;
   * `speakers` (those who accepted) are added if they are not members yet. Named after the
   * event, so the inbox lists it by title.
   */
  async getOrCreateEventChannel(
    event: { id: string; title: string },
    organizer: ChatPerson,
    speakers: ChatPerson[] = [],
  ): Promise<void> {
    await this.defineChannelTypes();
    await this.call(async () => {
      await this.client.upsertUsers([organizer, ...speakers].map(toChatUser));
      const channel = eventChannel(event.id);
      // Speakers cannot open the organizer's event page: the link opens the chat itself.
      const url = this.pageUrl(`/dashboard/messages?c=${encodeURIComponent(channel.cid)}`);
      const state = await this.client.getOrCreateChannel(channel.type, channel.id, {
        members: [organizer.id],
        createdById: organizer.id,
        data: { name: event.title, event_id: event.id, kind: 'event', ...url },
        messageLimit: 0,
      });
      await this.keepUrl(state, url);
      if (speakers.length > 0) {
        await this.client.addMembers(
          channel.type,
          channel.id,
          speakers.map((s) => s.id),
        );
      }
    });
  }

  /** Renames the event's chat after its event. */
  async renameEventChannel(event: { id: string; title: string }): Promise<void> {
    const channel = eventChannel(event.id);
    await this.call(() =>
      this.client.updateChannel(channel.type, channel.id, { set: { name: event.title } }),
    );
  }

  /** Takes a speaker out of the event's chat (withdrawn); nothing if they were not in it. */
  async removeFromEventChannel(eventId: string, userId: string): Promise<void> {
    const channel = eventChannel(eventId);
    await this.call(() => this.client.removeMembers(channel.type, channel.id, [userId]));
  }

  /** Posts an organizer's announcement in the event's chat and pins it. */
  async postAnnouncement(
    eventId: string,
    organizerId: string,
    text: string,
  ): Promise<SendMessageResponse['message']> {
    const channel = eventChannel(eventId);
    return this.call(async () => {
      const sent = await this.client.sendMessage(channel.type, channel.id, {
        userId: organizerId,
        text,
        data: { kind: 'announcement' },
      });
      const pinned = await this.client.updateMessage(sent.message.id, {
        pinned: true,
        userId: organizerId,
      });
      return pinned.message;
    });
  }

  /** The event chat's pinned announcements, newest pin first. */
  async announcements(eventId: string): Promise<SendMessageResponse['message'][]> {
    const channel = eventChannel(eventId);
    return this.call(
      async () => (await this.client.getPinned(channel.type, channel.id, { limit: 25 })).messages,
    );
  }

  /**
   * Closes a request's Communication Log (the invitation was withdrawn): a system notice
   * first, so both sides see why, then `data.read_only` and both members removed. Parley has
   * no read-only channels; without members nobody can send (Parley answers `not_member`),
   * and the log stays readable through `requestLog`, which reads it with the server's rights.
   */
  async closeRequestChannel(
    conversationUuid: string,
    notice: { id: string; text: string; data: Record<string, unknown> },
    memberIds: string[],
  ): Promise<void> {
    const channel = requestChannel(conversationUuid);
    await this.call(async () => {
      await this.client.sendSystemMessage(channel.type, channel.id, notice);
      await this.client.updateChannel(channel.type, channel.id, { set: { read_only: true } });
      await this.client.removeMembers(channel.type, channel.id, memberIds);
    });
  }

  /** A request's latest messages (up to 200), oldest first, read with the server's rights. */
  async requestLog(conversationUuid: string): Promise<SendMessageResponse['message'][]> {
    const channel = requestChannel(conversationUuid);
    return this.call(
      async () =>
        (await this.client.getChannel(channel.type, channel.id, { messageLimit: 200 })).messages,
    );
  }

  /** The distinct DM channel of two people. */
  getOrCreateDm(a: ChatPerson, b: ChatPerson): Promise<GetOrCreateChannelResponse> {
    return this.call(async () => {
      await this.client.upsertUsers([toChatUser(a), toChatUser(b)]);
      return this.client.getOrCreateDirectChannel(DM_CHANNEL_TYPE, [a.id, b.id], {
        messageLimit: 0,
      });
    });
  }

  /** A message by `userId` (a member); `id` makes a retry or re-import store nothing new. */
  sendMessage(
    channel: { type: string; id: string },
    message: { userId: string; text: string; id?: string; createdAt?: Date },
  ): Promise<SendMessageResponse> {
    return this.call(() => this.client.sendMessage(channel.type, channel.id, message));
  }

  /** A system message from ATAS (status changes); `id` makes a retry harmless. */
  sendSystemMessage(
    channel: { type: string; id: string },
    message: { text: string; id?: string; data?: Record<string, unknown> },
  ): Promise<SendMessageResponse> {
    return this.call(() => this.client.sendSystemMessage(channel.type, channel.id, message));
  }

  /** `{ url }` of a page of the web app, or nothing without a web address. */
  private pageUrl(path: string): { url?: string } {
    return this.webUrl === undefined ? {} : { url: `${this.webUrl}${path}` };
  }

  /** Channels made before they had a `url` (or under another web address) get it now. */
  private async keepUrl(state: GetOrCreateChannelResponse, url: { url?: string }): Promise<void> {
    if (url.url === undefined || state.channel.data['url'] === url.url) return;
    await this.client.updateChannel(state.channel.type, state.channel.id, { set: url });
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof ChatError && err.retryable) {
        throw new AtasError('chat_unavailable', `the chat server is unavailable (${err.code})`);
      }
      throw err;
    }
  }
}

function toChatUser(person: ChatPerson): UserInput {
  // The picture goes as it is, null included: a picture removed in ATAS goes in the chat too.
  const user: UserInput = { id: person.id, name: person.name, image: person.avatar_url };
  if (person.email !== undefined) user.email = person.password_hash === '' ? null : person.email;
  // An ATAS admin is a Parley admin (acts in every channel); anyone else is a plain user.
  if (person.role !== undefined) user.role = person.role === 'admin' ? 'admin' : 'user';
  return user;
}

/** The channel of a request, for callers that only have its conversation. */
export function requestChannel(conversationUuid: string): { type: string; id: string } {
  return { type: REQUEST_CHANNEL_TYPE, id: requestChannelId(conversationUuid) };
}

/** Parley channel type of an event's group chat. */
export const EVENT_CHANNEL_TYPE = 'event';

/** The event chat of an event: `event:event_{event id}`. */
export function eventChannel(eventId: string): { type: string; id: string; cid: string } {
  const id = `event_${eventId}`;
  return { type: EVENT_CHANNEL_TYPE, id, cid: `${EVENT_CHANNEL_TYPE}:${id}` };
}
