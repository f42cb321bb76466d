#!/usr/bin/env node
// The "before" of the polling scenario: the ATAS API serving its legacy Communication Log
// (GET/POST /api/v1/invitations/:id/messages), on SQLite in --data-dir, in a process of its
// own so its CPU and RSS can be read like Parley's. It seeds --pairs organizer/speaker pairs
// with one invitation each, --history messages in each conversation (default 0), writes the
// pairs to <data-dir>/seed.json and then prints its URL.
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAtasApi } from '@parley/atas-api';
import { conversationHistory } from '../lib/conversation-history.js';

/** One conversation of the legacy log, with a session for each of its two people. */
export interface LegacyPair {
  invitationId: string;
  sessions: [string, string];
  userIds: [string, string];
}

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    pairs: { type: 'string' },
    history: { type: 'string', default: '0' },
  },
  strict: true,
});
const dataDir = values['data-dir'];
const pairs = Number(values.pairs);
const historyMessages = Number(values.history);
if (
  dataDir === undefined ||
  !Number.isInteger(pairs) ||
  pairs < 1 ||
  !Number.isInteger(historyMessages) ||
  historyMessages < 0
) {
  throw new Error('usage: atas-legacy-log-server --data-dir DIR --pairs N [--history K]');
}

const api = createAtasApi({
  port: 0,
  dataDir,
  sessionSecret: randomBytes(32).toString('hex'),
  // The legacy log never calls Parley; the chat endpoints are not used here.
  parley: { url: 'http://127.0.0.1:9', apiKey: 'bench', secret: randomBytes(32).toString('hex') },
  logLevel: false,
});
const { url } = await api.start();

// One account through the service (one scrypt hash, ~0.1 s); the others reuse its hash so
// seeding 1,000 accounts takes no minutes. Sessions are signed directly: no login needed.
const first = await api.ctx.accounts.create({
  email: 'organizer-0@bench.test',
  password: 'bench-password',
  name: 'organizer-0',
  role: 'organizer',
});
const { password_hash } = await api.db
  .selectFrom('atas_users')
  .select('password_hash')
  .where('id', '=', first.id)
  .executeTakeFirstOrThrow();
const account = async (name: string, role: 'organizer' | 'speaker') => {
  if (name === 'organizer-0') return first.id;
  const id = randomBytes(16).toString('hex');
  await api.db
    .insertInto('atas_users')
    .values({
      id,
      email: `${name}@bench.test`,
      password_hash,
      name,
      avatar_url: null,
      role,
      created_at: Date.now(),
    })
    .execute();
  return id;
};
const history = conversationHistory(historyMessages);
const seeded: LegacyPair[] = [];
const conversations: string[] = [];
for (let i = 0; i < pairs; i++) {
  const organizerId = await account(`organizer-${i}`, 'organizer');
  const speakerId = await account(`speaker-${i}`, 'speaker');
  const event = await api.ctx.events.create({
    organizerId,
    title: `Bench event ${i}`,
    startsAt: new Date('2030-05-01T09:00:00Z'),
  });
  const invitation = await api.ctx.invitations.create({ event, speakerId });
  seeded.push({
    invitationId: invitation.id,
    sessions: [await api.ctx.sessions.sign(organizerId), await api.ctx.sessions.sign(speakerId)],
    userIds: [organizerId, speakerId],
  });
  conversations.push(invitation.conversation_uuid);
}
// The history goes straight into the legacy log's table, like the accounts above: the rows
// LegacyLog.post would write, one transaction for all.
if (history.length > 0) {
  await api.db.transaction().execute(async (trx) => {
    for (const [i, conversation_uuid] of conversations.entries()) {
      const { userIds } = seeded[i]!;
      await trx
        .insertInto('atas_legacy_messages')
        .values(
          history.map((m) => ({
            id: randomUUID(),
            conversation_uuid,
            author_id: userIds[m.author],
            text: m.text,
            created_at: m.createdAt.getTime(),
          })),
        )
        .execute();
    }
  });
}
await writeFile(join(dataDir, 'seed.json'), JSON.stringify(seeded));

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void api.close().finally(() => process.exit(0)));
}
process.stdout.write(`ATAS legacy log at ${url}\n`);
