import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AtasError } from '../atas-error.js';
import { eventChannel } from '../chat/chat-service.js';
import type { AtasContext } from '../http/context.js';
import { parse } from '../http/parse.js';
import type { UserRow } from '../services/accounts.js';
import type { EventRow } from '../services/events.js';
import { idParams } from './event-routes.js';

/**
 * The event's chat: its organizer and every speaker who accepted. Organizers post
 * announcements there, pinned.
 */
export function eventChatRoutes(app: FastifyInstance, ctx: AtasContext): void {
  const announcementBody = z.object({
    text: z
      .string()
      .trim()
      .min(1, 'text is blank')
      .refine((t) => [...t].length <= ctx.maxMessageLength, {
        message: `text is longer than ${ctx.maxMessageLength} characters`,
      }),
  });

  // Makes sure the chat exists with its members (Parley may have been down before) and names it.
  app.get('/api/v1/events/:id/chat', async (request) => {
    const user = await ctx.authenticate(request);
    const event = await eventOfMember(ctx, request, user);
    await ensureEventChannel(ctx, event);
    const { type, id, cid } = eventChannel(event.id);
    return { channel: { type, id, cid } };
  });

  app.get('/api/v1/events/:id/announcements', async (request) => {
    const user = await ctx.authenticate(request);
    const event = await eventOfMember(ctx, request, user);
    await ensureEventChannel(ctx, event);
    return { announcements: await ctx.chat.announcements(event.id) };
  });

  app.post('/api/v1/events/:id/announcements', async (request, reply) => {
    const user = await ctx.authenticate(request);
    const event = await eventOfMember(ctx, request, user);
    if (event.organizer_id !== user.id) {
      throw new AtasError('forbidden', 'only the organizer posts announcements');
    }
    const { text } = parse(announcementBody, request.body);
    await ensureEventChannel(ctx, event);
    const message = await ctx.chat.postAnnouncement(event.id, user.id, text);
    return reply.code(201).send({ message });
  });
}

/**
 * The event in the URL if the user is its organizer or a speaker who accepted; anyone else
 * gets `event_not_found`, as for an event that does not exist.
 */
async function eventOfMember(
  ctx: AtasContext,
  request: FastifyRequest,
  user: UserRow,
): Promise<EventRow> {
  const { id } = parse(idParams, request.params);
  const event = await ctx.events.findById(id);
  if (event !== undefined && event.organizer_id === user.id) return event;
  if (event !== undefined) {
    const accepted = await ctx.db
      .selectFrom('atas_invitations')
      .select('id')
      .where('event_id', '=', event.id)
      .where('speaker_id', '=', user.id)
      .where('status', '=', 'accepted')
      .executeTakeFirst();
    if (accepted !== undefined) return event;
  }
  throw new AtasError('event_not_found', 'no such event among yours');
}

/** The event chat with its organizer and every speaker who accepted. */
export async function ensureEventChannel(ctx: AtasContext, event: EventRow): Promise<void> {
  const accepted = await ctx.db
    .selectFrom('atas_invitations as i')
    .innerJoin('atas_users as u', 'u.id', 'i.speaker_id')
    .select(['u.id', 'u.name', 'u.avatar_url'])
    .where('i.event_id', '=', event.id)
    .where('i.status', '=', 'accepted')
    .execute();
  const organizer = await ctx.accounts.findById(event.organizer_id);
  if (organizer === undefined) throw new Error(`event ${event.id} has no organizer`);
  await ctx.chat.getOrCreateEventChannel(event, organizer, accepted);
}
