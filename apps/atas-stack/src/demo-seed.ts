import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrateLegacyChat, type AtasApi, type UserRole } from '@parley/atas-api';

/** A demo account, as printed at start. */
export interface DemoAccount {
  role: UserRole;
  name: string;
  email: string;
  password: string;
}

const ACCOUNTS_FILE = 'demo-accounts.json';

const PEOPLE: { role: UserRole; name: string; email: string }[] = [
  { role: 'organizer', name: 'Olivia Ortega', email: 'organizer@atas.example' },
  { role: 'speaker', name: 'Samuel Reyes', email: 'samuel@atas.example' },
  { role: 'speaker', name: 'Priya Nair', email: 'priya@atas.example' },
];

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * On a database with no accounts, creates the demo: an organizer and two speakers (random
 * passwords, kept in `<dataDir>/demo-accounts.json`, mode 0600), an event, a pending
 * invitation for each speaker, and an old Communication Log conversation on the first one,
 * copied into the chat by the legacy migration. Later starts read the accounts back.
 */
export async function seedDemo(api: AtasApi, dataDir: string): Promise<DemoAccount[]> {
  const accounts = await seedOnce(api, dataDir);
  // The old log moves to the chat as ATAS's own did, with the migration command's code; it
  // copies only what is not there yet, so a first start cut short is completed by the next.
  await migrateLegacyChat({ db: api.db, chat: api.ctx.chat });
  return accounts;
}

async function seedOnce(api: AtasApi, dataDir: string): Promise<DemoAccount[]> {
  const file = join(dataDir, ACCOUNTS_FILE);
  const anyone = await api.db.selectFrom('atas_users').select('id').limit(1).executeTakeFirst();
  if (anyone !== undefined) {
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoAccount[]) : [];
  }
  const { ctx } = api;
  const accounts = PEOPLE.map((person) => ({
    ...person,
    password: randomBytes(9).toString('base64url'),
  }));
  writeFileSync(file, JSON.stringify(accounts, null, 2) + '\n', { mode: 0o600 });
  const users = [];
  for (const account of accounts) {
    users.push(
      await ctx.accounts.create({
        email: account.email,
        password: account.password,
        name: account.name,
        role: account.role,
      }),
    );
  }
  const [organizer, samuel, priya] = users as [
    (typeof users)[0],
    (typeof users)[0],
    (typeof users)[0],
  ];

  const start = new Date(Date.now() + 60 * DAY_MS);
  start.setUTCHours(9, 0, 0, 0);
  const event = await ctx.events.create({
    organizerId: organizer.id,
    title: 'ATAS Summit 2027',
    description: 'Two days of talks and panels on real-time systems, by the river.',
    location: 'Lisbon, Centro de Congressos',
    timeZone: 'Europe/Lisbon',
    startsAt: start,
    endsAt: new Date(start.getTime() + 2 * DAY_MS + 8 * 60 * 60 * 1000),
  });
  const second = await ctx.invitations.create({
    event,
    speakerId: priya.id,
    message: 'Would you run the closing panel on open-source infrastructure?',
  });
  const first = await ctx.invitations.create({
    event,
    speakerId: samuel.id,
    message: 'We would love a 30-minute talk on real-time systems on the first morning.',
  });
  for (const invitation of [first, second]) {
    const [host, guest] = await Promise.all([
      ctx.accounts.findById(invitation.organizer_id),
      ctx.accounts.findById(invitation.speaker_id),
    ]);
    await ctx.chat.getOrCreateRequestChannel(invitation, host!, guest!);
  }

  // Newest first on the dashboard: the invitation with history leads.
  const legacy: [string, string, number][] = [
    [organizer.id, 'Hi Samuel! Did you get the invitation for the Summit?', 3 * DAY_MS],
    [
      samuel.id,
      'I did, thanks. Is the 30-minute slot on the first morning fixed?',
      3 * DAY_MS - 40 * 60_000,
    ],
    [organizer.id, 'It can move to the afternoon if that suits you better.', 2 * DAY_MS],
    [samuel.id, 'Morning is fine. I will confirm here once my travel is booked.', 1 * DAY_MS],
  ];
  for (const [authorId, text, ago] of legacy) {
    await ctx.legacyLog.post({
      conversationUuid: first.conversation_uuid,
      authorId,
      text,
      createdAt: new Date(Date.now() - ago),
    });
  }
  return accounts;
}
