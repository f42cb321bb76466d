import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AtasError } from '../atas-error.js';
import { requestChannel } from '../chat/chat-service.js';
import type { AtasContext } from '../http/context.js';
import { deliver } from '../mail/deliver.js';
import { invitationAnsweredEmail } from '../mail/emails.js';
import { parse } from '../http/parse.js';
import { ensureEventChannel } from './event-chat-routes.js';
import type { UserRow } from '../services/accounts.js';
import { isParticipant, type InvitationRow } from '../services/invitations.js';

const idParams = z.object({ id: z.string().min(1).max(100) });

/**
 * The invitation named in the URL, if the user is its organizer or speaker. Anyone else
 * gets 404 `invitation_not_found`, exactly as for an id that does not exist, so ids cannot
 * be probed.
 */
export async function participantInvitation(
  ctx: AtasContext,
  request: FastifyRequest,
  user: UserRow,
): Promise<InvitationRow> {
  const { id } = parse(idParams, request.params);
  const invitation = await ctx.invitations.findById(id);
  if (invitation === undefined || !isParticipant(invitation, user.id)) {
    throw new AtasError('invitation_not_found', 'no such invitation among yours');
  }
  return invitation;
}

/** The request's page in the web app, for links in emails. */
export function requestPageUrl(ctx: AtasContext, invitationId: string): string {
  return `${ctx.webUrl}/dashboard/requests/${encodeURIComponent(invitationId)}`;
}

const STATUS_TEXT = { accepted: 'accepted', declined: 'declined' } as const;

/** Listing, reading and answering invitations, and their chat channel. */
export function invitationRoutes(app: FastifyInstance, ctx: AtasContext): void {
  app.get('/api/v1/invitations', async (request) => {
    const user = await ctx.authenticate(request);
    const rows = await ctx.invitations.listFor(user.id);
    return { invitations: await Promise.all(rows.map((row) => ctx.invitations.toJson(row))) };
  });

  app.get('/api/v1/invitations/:id', async (request) => {
    const user = await ctx.authenticate(request);
    const invitation = await participantInvitation(ctx, request, user);
    return { invitation: await ctx.invitations.toJson(invitation) };
  });

  // Makes sure the request's channel exists (it may not if Parley was down at invitation
  // time) and names it, for the front end to watch with its chat token.
  app.get('/api/v1/invitations/:id/chat', async (request) => {
    const user = await ctx.authenticate(request);
    const invitation = await participantInvitation(ctx, request, user);
    const { organizer, speaker } = await people(ctx, invitation);
    const state = await ctx.chat.getOrCreateRequestChannel(invitation, organizer, speaker);
    return { channel: { type: state.channel.type, id: state.channel.id, cid: state.channel.cid } };
  });

  // The log as it stands, read with the server's rights: a withdrawn invitation's channel
  // has no members left, so this is how both sides still read it.
  app.get('/api/v1/invitations/:id/log', async (request) => {
    const user = await ctx.authenticate(request);
    const invitation = await participantInvitation(ctx, request, user);
    return {
      read_only: invitation.status === 'withdrawn',
      messages: await ctx.chat.requestLog(invitation.conversation_uuid),
    };
  });

  for (const [action, status] of [
    ['accept', 'accepted'],
    ['decline', 'declined'],
  ] as const) {
    app.post(`/api/v1/invitations/:id/${action}`, async (request) => {
      const user = await ctx.authenticate(request);
      const invitation = await participantInvitation(ctx, request, user);
      if (invitation.speaker_id !== user.id) {
        throw new AtasError('forbidden', 'only the invited speaker answers an invitation');
      }
      const answered = await ctx.invitations.answer(invitation.id, status);
      const [{ organizer, speaker }, event] = await Promise.all([
        people(ctx, answered),
        ctx.events.findById(answered.event_id),
      ]);
      if (event === undefined) throw new Error(`invitation ${answered.id} names a missing event`);
      // ATAS's database is the record of the answer; the chat line is a notice. When Parley
      // is down the answer still stands, the failure is logged and reported as
      // `chat_notified: false`.
      let chatNotified = true;
      try {
        await ctx.chat.getOrCreateRequestChannel(answered, organizer, speaker);
        // Accepted speakers join the event's chat.
        if (status === 'accepted') await ensureEventChannel(ctx, event);
        await ctx.chat.sendSystemMessage(requestChannel(answered.conversation_uuid), {
          // One answer per invitation, so this id makes a retried notice harmless.
          id: `status-${answered.id}-${status}`,
          text: `${speaker.name} ${STATUS_TEXT[status]} the invitation`,
          data: { kind: 'status', status, invitation_id: answered.id },
        });
      } catch (err) {
        chatNotified = false;
        request.log.warn({ err, invitation: answered.id }, 'status system message not posted');
      }
      // The organizer hears of the answer by email too (`email_sent: false` when it failed).
      const emailSent = await deliver(
        ctx.mailer,
        request.log,
        invitationAnsweredEmail({
          to: organizer.email,
          speakerName: speaker.name,
          eventTitle: event.title,
          answer: status,
          link: requestPageUrl(ctx, answered.id),
        }),
        { invitation: answered.id },
      );
      return {
        invitation: await ctx.invitations.toJson(answered),
        chat_notified: chatNotified,
        email_sent: emailSent,
      };
    });
  }
}

async function people(
  ctx: AtasContext,
  invitation: InvitationRow,
): Promise<{ organizer: UserRow; speaker: UserRow }> {
  const [organizer, speaker] = await Promise.all([
    ctx.accounts.findById(invitation.organizer_id),
    ctx.accounts.findById(invitation.speaker_id),
  ]);
  if (organizer === undefined || speaker === undefined) {
    throw new Error(`invitation ${invitation.id} names a missing user`);
  }
  return { organizer, speaker };
}
