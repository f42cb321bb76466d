import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AtasError } from '../atas-error.js';
import type { AtasContext } from '../http/context.js';
import { parse } from '../http/parse.js';
import type { UserRow } from '../services/accounts.js';
import { toEventJson } from '../services/events.js';

const createEventBody = z
  .object({
    title: z.string().trim().min(1).max(200),
    location: z.string().trim().max(200).nullish(),
    starts_at: z.iso.datetime({ offset: true }),
    ends_at: z.iso.datetime({ offset: true }).nullish(),
  })
  .refine((b) => b.ends_at == null || Date.parse(b.ends_at) >= Date.parse(b.starts_at), {
    message: 'ends_at is before starts_at',
    path: ['ends_at'],
  });

const inviteBody = z.object({
  speaker_email: z.string().trim().min(1).max(320),
  message: z.string().trim().max(2_000).nullish(),
});

const idParams = z.object({ id: z.string().min(1).max(100) });

function requireOrganizer(user: UserRow): void {
  if (user.role !== 'organizer') {
    throw new AtasError('forbidden', 'only organizers manage events and invitations');
  }
}

/** Organizers' events and the invitations they send. */
export function eventRoutes(app: FastifyInstance, ctx: AtasContext): void {
  app.post('/api/v1/events', async (request, reply) => {
    const user = await ctx.authenticate(request);
    requireOrganizer(user);
    const body = parse(createEventBody, request.body);
    const event = await ctx.events.create({
      organizerId: user.id,
      title: body.title,
      location: body.location,
      startsAt: new Date(body.starts_at),
      endsAt: body.ends_at == null ? null : new Date(body.ends_at),
    });
    return reply.code(201).send({ event: toEventJson(event) });
  });

  app.get('/api/v1/events', async (request) => {
    const user = await ctx.authenticate(request);
    requireOrganizer(user);
    return { events: (await ctx.events.listByOrganizer(user.id)).map(toEventJson) };
  });

  app.post('/api/v1/events/:id/invitations', async (request, reply) => {
    const user = await ctx.authenticate(request);
    requireOrganizer(user);
    const { id } = parse(idParams, request.params);
    const body = parse(inviteBody, request.body);
    const event = await ctx.events.findById(id);
    // Another organizer's event is "not found": its existence is not theirs to learn.
    if (event === undefined || event.organizer_id !== user.id) {
      throw new AtasError('event_not_found', 'no such event among yours');
    }
    const speaker = await ctx.accounts.findByEmail(body.speaker_email);
    if (speaker === undefined || speaker.role !== 'speaker') {
      throw new AtasError('speaker_not_found', 'no speaker has this email');
    }
    const invitation = await ctx.invitations.create({
      event,
      speakerId: speaker.id,
      message: body.message,
    });
    // The channel is created now when Parley answers, and lazily later otherwise
    // (GET …/chat, accept, decline): inviting does not depend on the chat being up.
    try {
      await ctx.chat.getOrCreateRequestChannel(invitation, user, speaker);
    } catch (err) {
      request.log.warn({ err, invitation: invitation.id }, 'request channel not created yet');
    }
    return reply.code(201).send({ invitation: await ctx.invitations.toJson(invitation) });
  });
}
