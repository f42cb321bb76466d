import type { InvitationJson } from './types';

/**
 * What a request's conversation is called where conversations are listed (search results):
 * "event — the other side", by the conversation's cid. Parley's channel data names event
 * chats but not requests.
 */
export function requestLabels(
  meId: string,
  invitations: readonly InvitationJson[],
): Record<string, string> {
  return Object.fromEntries(
    invitations.map((invitation) => {
      const other = meId === invitation.organizer.id ? invitation.speaker : invitation.organizer;
      return [invitation.chat.cid, `${invitation.event.title} — ${other.name}`];
    }),
  );
}
