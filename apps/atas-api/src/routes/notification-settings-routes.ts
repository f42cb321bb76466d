import type { ChannelState, NotificationSettings } from '@parley/server-sdk';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AtasError } from '../atas-error.js';
import { EVENT_CHANNEL_TYPE } from '../chat/chat-service.js';
import type { AtasContext } from '../http/context.js';
import { parse } from '../http/parse.js';
import type { UserRow } from '../services/accounts.js';
import { REQUEST_CHANNEL_TYPE } from '../services/invitations.js';

const cids = z.array(z.string().min(3).max(200)).max(100);
const settingsBody = z
  .object({ email_enabled: z.boolean().optional(), mute: cids.optional(), unmute: cids.optional() })
  .strict();

/** One of the user's conversations as the settings list it. */
export interface ConversationSettingJson {
  cid: string;
  kind: 'request' | 'event' | 'direct';
  /** The event's title (requests and event chats), else null. */
  event_title: string | null;
  /** The other people of a request or a direct conversation. */
  people: string[];
  /** No email about this conversation. */
  muted: boolean;
}

/** The user's email notification settings, as Parley keeps them, with their conversations. */
export interface NotificationSettingsJson {
  /** The address Parley emails; null when it has none (yet). */
  email: string | null;
  email_enabled: boolean;
  conversations: ConversationSettingJson[];
}

/**
 * `GET`/`PUT /api/v1/me/notification-settings`: the user's email notifications (on or off,
 * muted conversations), kept by Parley and changed through its server API. Both push the
 * account first, so Parley knows the user and their address even before a first chat.
 */
export function notificationSettingsRoutes(app: FastifyInstance, ctx: AtasContext): void {
  app.get('/api/v1/me/notification-settings', async (request) => {
    const user = await ctx.authenticate(request);
    await ctx.chat.upsertUser(user);
    const [settings, channels] = await Promise.all([
      ctx.chat.notificationSettings(user.id),
      ctx.chat.channelsOf(user.id),
    ]);
    return { settings: await settingsJson(ctx, user, settings, channels) };
  });

  app.put('/api/v1/me/notification-settings', async (request) => {
    const user = await ctx.authenticate(request);
    const body = parse(settingsBody, request.body);
    const mute = body.mute ?? [];
    const unmute = body.unmute ?? [];
    const both = mute.find((cid) => unmute.includes(cid));
    if (both !== undefined) {
      throw new AtasError('invalid_request', `${both} is both muted and unmuted`);
    }
    await ctx.chat.upsertUser(user);
    const channels = await ctx.chat.channelsOf(user.id);
    const known = new Set(channels.map((state) => state.channel.cid));
    const unknown = [...mute, ...unmute].find((cid) => !known.has(cid));
    if (unknown !== undefined) {
      throw new AtasError('invalid_request', `${unknown} is not one of your conversations`);
    }
    const settings = await ctx.chat.updateNotificationSettings(user.id, {
      ...(body.email_enabled === undefined ? {} : { email_enabled: body.email_enabled }),
      ...(mute.length > 0 ? { mute } : {}),
      ...(unmute.length > 0 ? { unmute } : {}),
    });
    return { settings: await settingsJson(ctx, user, settings, channels) };
  });
}

async function settingsJson(
  ctx: AtasContext,
  user: UserRow,
  settings: NotificationSettings,
  channels: ChannelState[],
): Promise<NotificationSettingsJson> {
  const eventIds = [
    ...new Set(channels.flatMap((state) => stringField(state.channel.data, 'event_id') ?? [])),
  ];
  const titles = new Map(
    eventIds.length === 0
      ? []
      : (
          await ctx.db
            .selectFrom('atas_events')
            .select(['id', 'title'])
            .where('id', 'in', eventIds)
            .execute()
        ).map((event) => [event.id, event.title]),
  );
  const muted = new Set(settings.muted_cids);
  return {
    email: settings.email,
    email_enabled: settings.email_enabled,
    conversations: channels.map(({ channel, members }) => {
      const eventId = stringField(channel.data, 'event_id');
      const kind =
        channel.type === REQUEST_CHANNEL_TYPE
          ? 'request'
          : channel.type === EVENT_CHANNEL_TYPE
            ? 'event'
            : 'direct';
      return {
        cid: channel.cid,
        kind,
        event_title:
          kind === 'direct'
            ? null
            : ((eventId === undefined ? undefined : titles.get(eventId)) ??
              stringField(channel.data, 'name') ??
              null),
        people:
          kind === 'event'
            ? []
            : members
                .filter((member) => member.user_id !== user.id)
                .map((member) => member.user.name ?? member.user_id),
        muted: muted.has(channel.cid),
      };
    }),
  };
}

function stringField(data: Record<string, unknown>, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' ? value : undefined;
}
