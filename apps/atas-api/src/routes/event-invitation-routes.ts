import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AtasError } from '../atas-error.js';
import type { AtasContext } from '../http/context.js';
import { parse } from '../http/parse.js';
import { deliver } from '../mail/deliver.js';
import { inviteExistingSpeakerEmail, inviteNewSpeakerEmail } from '../mail/emails.js';
import { Accounts, hasJoined, normalizeEmail, type UserRow } from '../services/accounts.js';
import type { EventRow } from '../services/events.js';
import { Invitations, type InvitationRow } from '../services/invitations.js';
import { ownEvent, requireOrganizer } from './event-routes.js';
import { participantInvitation, requestPageUrl } from './invitation-routes.js';

const inviteBody = z
  .object({
    speaker_email: z.email('speaker_email must be an email address').max(320),
    message: z.string().trim().max(2_000).nullish(),
  })
  .strict();

/** The organizer's side of invitations: invite by email, list, resend, withdraw. */
export function eventInvitationRoutes(app: FastifyInstance, ctx: AtasContext): void {
  app.post('/api/v1/events/:id/invitations', async (request, reply) => {
    const user = await ctx.authenticate(request);
    const event = await ownEvent(ctx, request, user);
    const body = parse(inviteBody, request.body);
    const email = normalizeEmail(body.speaker_email);
    if (email === user.email) {
      throw new AtasError('cannot_invite_self', 'you cannot invite yourself to your own event');
    }
    const existing = await ctx.accounts.findByEmail(email);
    if (existing !== undefined && existing.role !== 'speaker') {
      throw new AtasError('not_a_speaker', 'this email belongs to an organizer account');
    }
    // The account of a new address, the invitation and its link are written together or
    // not at all: a refused duplicate leaves no account or link behind.
    const { invitation, speaker, token } = await ctx.db.transaction().execute(async (trx) => {
      const speaker = existing ?? (await new Accounts(trx).createInvited(email));
      const invitation = await new Invitations(trx).create({
        event,
        speakerId: speaker.id,
        message: body.message,
      });
      const token = hasJoined(speaker)
        ? null
        : await ctx.links.issue(trx, {
            kind: 'invite',
            userId: speaker.id,
            invitationId: invitation.id,
          });
      return { invitation, speaker, token };
    });
    // The channel is created now when Parley answers, and lazily later otherwise
    // (GET …/chat, accept, decline): inviting does not depend on the chat being up.
    try {
      await ctx.chat.getOrCreateRequestChannel(invitation, user, speaker);
    } catch (err) {
      request.log.warn({ err, invitation: invitation.id }, 'request channel not created yet');
    }
    const emailSent = await sendInvitationEmail(ctx, request.log, {
      invitation,
      event,
      organizer: user,
      speaker,
      token,
    });
    return reply
      .code(201)
      .send({ invitation: await ctx.invitations.toJson(invitation), email_sent: emailSent });
  });

  app.get('/api/v1/events/:id/invitations', async (request) => {
    const user = await ctx.authenticate(request);
    const event = await ownEvent(ctx, request, user);
    const rows = await ctx.invitations.listByEvent(event.id);
    return { invitations: await Promise.all(rows.map((row) => ctx.invitations.toJson(row))) };
  });

  // A new email; for a speaker who has not joined, a new link (the old one stops working).
  app.post('/api/v1/invitations/:id/resend', async (request) => {
    const user = await ctx.authenticate(request);
    const invitation = await organizersInvitation(ctx, request, user);
    if (invitation.status !== 'pending') {
      throw new AtasError(
        'invitation_not_pending',
        `a ${invitation.status} invitation is not resent`,
      );
    }
    const [event, speaker] = await Promise.all([
      ctx.events.findById(invitation.event_id),
      ctx.accounts.findById(invitation.speaker_id),
    ]);
    if (event === undefined || speaker === undefined) throw new Error('invitation without event');
    const token = hasJoined(speaker)
      ? null
      : await ctx.db.transaction().execute((trx) =>
          ctx.links.issue(trx, {
            kind: 'invite',
            userId: speaker.id,
            invitationId: invitation.id,
          }),
        );
    const emailSent = await sendInvitationEmail(ctx, request.log, {
      invitation,
      event,
      organizer: user,
      speaker,
      token,
    });
    return { invitation: await ctx.invitations.toJson(invitation), email_sent: emailSent };
  });

  app.post('/api/v1/invitations/:id/withdraw', async (request) => {
    const user = await ctx.authenticate(request);
    const invitation = await organizersInvitation(ctx, request, user);
    const { row, was } = await ctx.invitations.withdraw(invitation.id);
    await ctx.links.revokeForInvitation(ctx.db, row.id);
    // ATAS's database is the record; closing the log and leaving the event chat follow
    // when Parley answers (`chat_notified: false` otherwise, logged).
    let chatNotified = true;
    try {
      await ctx.chat.closeRequestChannel(
        row.conversation_uuid,
        {
          id: `status-${row.id}-withdrawn`,
          text: `${user.name} withdrew the invitation. This Communication Log is now read-only.`,
          data: { kind: 'status', status: 'withdrawn', invitation_id: row.id },
        },
        [row.organizer_id, row.speaker_id],
      );
      if (was === 'accepted') await ctx.chat.removeFromEventChannel(row.event_id, row.speaker_id);
    } catch (err) {
      chatNotified = false;
      request.log.warn({ err, invitation: row.id }, 'withdrawal not applied to the chat');
    }
    return { invitation: await ctx.invitations.toJson(row), chat_notified: chatNotified };
  });
}

async function organizersInvitation(
  ctx: AtasContext,
  request: Parameters<typeof participantInvitation>[1],
  user: UserRow,
): Promise<InvitationRow> {
  requireOrganizer(user);
  const invitation = await participantInvitation(ctx, request, user);
  if (invitation.organizer_id !== user.id) {
    throw new AtasError('forbidden', 'only the organizer who invited manages this invitation');
  }
  return invitation;
}

/** The invitation email; false (logged) when the mail could not be handed over. */
async function sendInvitationEmail(
  ctx: AtasContext,
  log: FastifyBaseLogger,
  input: {
    invitation: InvitationRow;
    event: EventRow;
    organizer: UserRow;
    speaker: UserRow;
    token: string | null;
  },
): Promise<boolean> {
  const common = {
    to: input.speaker.email,
    organizerName: input.organizer.name,
    eventTitle: input.event.title,
    message: input.invitation.message,
  };
  const email =
    input.token === null
      ? inviteExistingSpeakerEmail({
          ...common,
          link: requestPageUrl(ctx, input.invitation.id),
        })
      : inviteNewSpeakerEmail({
          ...common,
          link: `${ctx.webUrl}/invite/${input.token}`,
          expiresAt: new Date(Date.now() + ctx.links.lifetimes.inviteSeconds * 1000),
        });
  return deliver(ctx.mailer, log, email, { invitation: input.invitation.id });
}
