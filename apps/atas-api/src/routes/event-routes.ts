import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AtasError } from '../atas-error.js';
import type { AtasContext } from '../http/context.js';
import { parse } from '../http/parse.js';
import { timeZoneSchema } from '../http/time-zone.js';
import type { UserRow } from '../services/accounts.js';
import { eventInsights } from '../services/event-insights.js';
import { toEventJson, type EventRow } from '../services/events.js';

const instant = z.iso.datetime({ offset: true });

const eventFields = {
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(5_000).nullish(),
  location: z.string().trim().max(200).nullish(),
  starts_at: instant,
  ends_at: instant.nullish(),
  time_zone: timeZoneSchema.optional(),
};

const endsAfterStart = {
  message: 'the event ends before it starts',
  path: ['ends_at'],
};

const createEventBody = z
  .object(eventFields)
  .strict()
  .refine(
    (b) => b.ends_at == null || Date.parse(b.ends_at) >= Date.parse(b.starts_at),
    endsAfterStart,
  );

const updateEventBody = z
  .object({ ...eventFields, title: eventFields.title.optional(), starts_at: instant.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, 'change at least one field');

export const idParams = z.object({ id: z.string().min(1).max(100) });

export function requireOrganizer(user: UserRow): void {
  if (user.role !== 'organizer') {
    throw new AtasError('forbidden', 'only organizers manage events and invitations');
  }
}

/** The event named in the URL, if the user organizes it; `event_not_found` otherwise. */
export async function ownEvent(
  ctx: AtasContext,
  request: FastifyRequest,
  user: UserRow,
): Promise<EventRow> {
  requireOrganizer(user);
  const { id } = parse(idParams, request.params);
  const event = await ctx.events.findById(id);
  // Another organizer's event is "not found": its existence is not theirs to learn.
  if (event === undefined || event.organizer_id !== user.id) {
    throw new AtasError('event_not_found', 'no such event among yours');
  }
  return event;
}

/** Organizers' events: create, list, read, edit. */
export function eventRoutes(app: FastifyInstance, ctx: AtasContext): void {
  app.post('/api/v1/events', async (request, reply) => {
    const user = await ctx.authenticate(request);
    requireOrganizer(user);
    const body = parse(createEventBody, request.body);
    const event = await ctx.events.create({
      organizerId: user.id,
      title: body.title,
      description: body.description,
      location: body.location,
      startsAt: new Date(body.starts_at),
      endsAt: body.ends_at == null ? null : new Date(body.ends_at),
      timeZone: body.time_zone,
    });
    // The event chat is made now when Parley answers, else when it is first opened.
    await ctx.chat.getOrCreateEventChannel(event, user).catch((err: unknown) => {
      request.log.warn({ err, event: event.id }, 'event chat not created yet');
    });
    return reply.code(201).send({ event: toEventJson(event) });
  });

  app.get('/api/v1/events', async (request) => {
    const user = await ctx.authenticate(request);
    requireOrganizer(user);
    return { events: (await ctx.events.listByOrganizer(user.id)).map(toEventJson) };
  });

  app.get('/api/v1/events/:id', async (request) => {
    const user = await ctx.authenticate(request);
    return { event: toEventJson(await ownEvent(ctx, request, user)) };
  });

  app.patch('/api/v1/events/:id', async (request) => {
    const user = await ctx.authenticate(request);
    const event = await ownEvent(ctx, request, user);
    const body = parse(updateEventBody, request.body);
    const updated = await ctx.events.update(event.id, {
      title: body.title,
      description: body.description,
      location: body.location,
      startsAt: body.starts_at === undefined ? undefined : new Date(body.starts_at),
      endsAt:
        body.ends_at === undefined
          ? undefined
          : body.ends_at === null
            ? null
            : new Date(body.ends_at),
      timeZone: body.time_zone,
    });
    if (updated.title !== event.title) {
      await ctx.chat.renameEventChannel(updated).catch((err: unknown) => {
        request.log.warn({ err, event: event.id }, 'event chat not renamed');
      });
    }
    return { event: toEventJson(updated) };
  });

  // The organizer's Insights panel: invitations by status, messages and first responses.
  app.get('/api/v1/events/:id/insights', async (request) => {
    const user = await ctx.authenticate(request);
    const event = await ownEvent(ctx, request, user);
    return { insights: await eventInsights(ctx.db, ctx.chat, event) };
  });
}
