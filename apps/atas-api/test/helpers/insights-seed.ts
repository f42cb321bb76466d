import type { ChatService } from '../../src/chat/chat-service.js';
import { requestChannel, type InvitationStatus } from '../../src/index.js';
import type { Accounts } from '../../src/services/accounts.js';
import type { Events } from '../../src/services/events.js';
import type { Invitations } from '../../src/services/invitations.js';

/**
 * What the seed uses of an API's services, by shape: the stack's tests hand in the built
 * package's API, these tests the source's.
 */
interface SeedApi {
  ctx: {
    accounts: Pick<Accounts, 'create' | 'findById'>;
    events: Pick<Events, 'create'>;
    invitations: Pick<Invitations, 'create' | 'answer' | 'withdraw'>;
    chat: Pick<ChatService, 'getOrCreateRequestChannel' | 'sendMessage'>;
  };
}

const MIN = 60_000;
/** When the seeded conversations start: fixed, so every figure is exact. */
const T0 = Date.parse('2030-03-02T09:00:00.000Z');

/** The people, messages and answers of the Insights dataset. */
const REQUESTS: {
  speaker: string;
  status: InvitationStatus;
  /** Who wrote (`o`: the organizer, `s`: the speaker), minutes after T0. */
  messages: ['o' | 's', number][];
}[] = [
  // Answered after 30 min; 3 messages.
  {
    speaker: 'Ana',
    status: 'accepted',
    messages: [
      ['o', 0],
      ['s', 30],
      ['o', 40],
    ],
  },
  // Answered after 2 h; 2 messages.
  {
    speaker: 'Ben',
    status: 'pending',
    messages: [
      ['o', 0],
      ['s', 120],
    ],
  },
  // Never answered; 1 message.
  { speaker: 'Cy', status: 'declined', messages: [['o', 0]] },
  // Nothing written.
  { speaker: 'Dee', status: 'withdrawn', messages: [] },
];

/** What the Insights of the seeded event must say, request by request in seeding order. */
export const INSIGHTS_EXPECTED = {
  invitations: { pending: 1, accepted: 1, declined: 1, withdrawn: 1, total: 4 },
  messages: 6,
  /** The median of 30 min and 2 h. */
  median_first_response_s: 75 * 60,
  requests: [
    { speaker: 'Ana', status: 'accepted', messages: 3, first_response_s: 30 * 60 },
    { speaker: 'Ben', status: 'pending', messages: 2, first_response_s: 120 * 60 },
    { speaker: 'Cy', status: 'declined', messages: 1, first_response_s: null },
    { speaker: 'Dee', status: 'withdrawn', messages: 0, first_response_s: null },
  ],
} as const;

/**
 * An organizer (`<prefix>-organizer@insights.test`, password `insights-password`) with one
 * event and four requests, in every status, whose logs hold messages at fixed times: the
 * dataset whose figures INSIGHTS_EXPECTED gives. Through ATAS's own services and Parley.
 */
export async function seedInsights(
  api: SeedApi,
  prefix = 'insights',
): Promise<{ email: string; password: string; eventId: string; invitationIds: string[] }> {
  const { ctx } = api;
  const password = 'insights-password';
  const email = `${prefix}-organizer@insights.test`;
  const organizer = await ctx.accounts.create({
    email,
    password,
    name: 'Inês Organizer',
    role: 'organizer',
  });
  const event = await ctx.events.create({
    organizerId: organizer.id,
    title: 'Insights Summit',
    startsAt: new Date('2030-06-01T09:00:00Z'),
  });
  const invitationIds: string[] = [];
  // Oldest first, so the newest-first list reads Dee, Cy, Ben, Ana; reversed below.
  for (const seed of [...REQUESTS].reverse()) {
    const speaker = await ctx.accounts.create({
      email: `${prefix}-${seed.speaker.toLowerCase()}@insights.test`,
      password,
      name: seed.speaker,
      role: 'speaker',
    });
    const invitation = await ctx.invitations.create({ event, speakerId: speaker.id });
    // Apart in time, so "newest first" is the seeding order whatever the clock's grain.
    await new Promise((resolve) => setTimeout(resolve, 5));
    invitationIds.unshift(invitation.id);
    const organizerRow = (await ctx.accounts.findById(organizer.id))!;
    const speakerRow = (await ctx.accounts.findById(speaker.id))!;
    await ctx.chat.getOrCreateRequestChannel(invitation, organizerRow, speakerRow);
    for (const [i, [who, minutes]] of seed.messages.entries()) {
      await ctx.chat.sendMessage(requestChannel(invitation.conversation_uuid), {
        id: `${prefix}-${seed.speaker}-${i}`,
        userId: who === 'o' ? organizer.id : speaker.id,
        text: `Message ${i + 1} to ${seed.speaker}`,
        createdAt: new Date(T0 + minutes * MIN),
      });
    }
    if (seed.status === 'accepted' || seed.status === 'declined') {
      await ctx.invitations.answer(invitation.id, seed.status);
    } else if (seed.status === 'withdrawn') {
      await ctx.invitations.withdraw(invitation.id);
    }
  }
  return { email, password, eventId: event.id, invitationIds };
}
