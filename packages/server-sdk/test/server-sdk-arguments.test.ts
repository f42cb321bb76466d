import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET, TestServer } from '../../server/test/helpers/test-server.js';
import { createParleyServerClient, type ParleyServerClient } from '../src/index.js';
import { expectChatError } from './helpers/expect-chat-error.js';
import { recordingFetch } from './helpers/recording-fetch.js';

// Bad arguments are refused by the SDK itself, before any request: the same on every
// storage, so one server (SQLite) is enough for the valid call that shows the recorder works.

let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start('sqlite');
});
afterAll(() => server?.close());

describe('server SDK: arguments checked before sending', () => {
  const bad: [string, (p: ParleyServerClient) => Promise<unknown>][] = [
    ['a channel type with capitals', (p) => p.getChannel('Messaging', 'general')],
    ['a channel id with a space', (p) => p.getChannel('messaging', 'gen eral')],
    ['a reserved ! id for a new channel', (p) => p.getOrCreateChannel('messaging', '!members-x')],
    ['an empty member list', (p) => p.getOrCreateChannel('messaging', 'x', { members: [] })],
    ['an empty list to add', (p) => p.addMembers('messaging', 'x', [])],
    ['an empty list to remove', (p) => p.removeMembers('messaging', 'x', [])],
    [
      'an unknown member role',
      (p) => p.addMembers('messaging', 'x', ['a'], { role: 'boss' as never }),
    ],
    ['no users to upsert', (p) => p.upsertUsers([])],
    ['an invalid user id', (p) => p.upsertUser({ id: 'not valid!' })],
    ['an empty user id to get', (p) => p.getUser('')],
    ['a direct channel with oneself', (p) => p.getOrCreateDirectChannel('messaging', ['a', 'a'])],
    [
      'a direct channel of three',
      (p) => p.getOrCreateDirectChannel('messaging', ['a', 'b', 'c'] as never),
    ],
    ['a message without text', (p) => p.sendMessage('messaging', 'x', { userId: 'a' } as never)],
    [
      'a message with blank text',
      (p) => p.sendMessage('messaging', 'x', { userId: 'a', text: ' \n ' }),
    ],
    ['a message without author', (p) => p.sendMessage('messaging', 'x', { text: 'hi' } as never)],
    [
      'a message id with a space',
      (p) => p.sendMessage('messaging', 'x', { userId: 'a', text: 'hi', id: 'a b' }),
    ],
    [
      'an invalid createdAt',
      (p) => p.sendMessage('messaging', 'x', { userId: 'a', text: 'hi', createdAt: 'yesterday' }),
    ],
    [
      'an invalid Date',
      (p) =>
        p.sendMessage('messaging', 'x', {
          userId: 'a',
          text: 'hi',
          createdAt: new Date('nope'),
        }),
    ],
    [
      'a system message with blank text',
      (p) => p.sendSystemMessage('messaging', 'x', { text: '' }),
    ],
    ['an update with neither set nor unset', (p) => p.updateChannel('messaging', 'x', {})],
    ['a negative sinceSeq', (p) => p.getEvents('messaging', 'x', { sinceSeq: -1 })],
    [
      'an events limit above 500',
      (p) => p.getEvents('messaging', 'x', { sinceSeq: 0, limit: 501 }),
    ],
    ['a channels limit of 0', (p) => p.queryChannels('a', { limit: 0 })],
    ['a message limit above 200', (p) => p.getChannel('messaging', 'x', { messageLimit: 201 })],
    ['a token for an invalid user id', (p) => p.createToken('no spaces allowed')],
    ['a token with a NaN expiry', (p) => p.createToken('a', { expiresIn: Number.NaN })],
  ];

  it.each(bad)('refuses %s with invalid_request, sending nothing', async (_name, call) => {
    const { fetch, calls } = recordingFetch();
    const client = createParleyServerClient({ url: server.url, secret: TEST_SECRET, fetch });
    const error = await expectChatError(call(client), 'invalid_request');
    expect(error.details?.issues).toEqual([
      { path: expect.any(String), message: expect.any(String) },
    ]);
    expect(calls).toHaveLength(0);
    // The same recorder does see a valid call, so the zero above means something.
    await client.health();
    expect(calls).toHaveLength(1);
  });
});
