import { ChatError, DEFAULT_LIMITS } from '@parley/protocol/codes';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChatClient } from './chat-client.js';
import { FakeSocket } from './connection/fake-socket.test-helper.js';

const CID = 'messaging:general';
const AT = '2026-11-25T10:00:00.000Z';
const user = (id: string) => ({
  id,
  name: id,
  image: null,
  role: 'user',
  data: {},
  created_at: AT,
  updated_at: AT,
  last_active: null,
  online: true,
});

/** A channel.watch result: ann and ben, one unread message from ben. */
const watchResult = {
  channel: {
    cid: CID,
    type: 'messaging',
    id: 'general',
    data: {},
    distinct: false,
    created_by_id: 'ann',
    created_at: AT,
    updated_at: AT,
    last_message_at: AT,
    member_count: 2,
    last_seq: 1,
  },
  members: ['ann', 'ben'].map((id) => ({
    user_id: id,
    user: user(id),
    role: 'member',
    created_at: AT,
  })),
  messages: [
    {
      id: 'm1',
      cid: CID,
      seq: 1,
      type: 'regular',
      user_id: 'ben',
      user: user('ben'),
      text: 'hi',
      data: {},
      created_at: AT,
      updated_at: AT,
    },
  ],
  has_more_messages: false,
  read: [],
  membership: null,
  unread_count: 1,
  typing: [],
};

/** Frames the client sent, by type. */
const sentOfType = (type: string) =>
  FakeSocket.all.flatMap((s) => s.sent).filter((f) => f.type === type);

function newClient() {
  let fetches = 0;
  const client = new ChatClient({
    url: 'http://chat.test',
    WebSocket: FakeSocket,
    fetch: async () => {
      fetches += 1;
      throw new Error('no REST in these tests');
    },
    networkEvents: null,
    markReadDelayMs: 300,
  });
  return { client, fetches: () => fetches };
}

/** A connected client watching messaging:general, answered by a scripted server. */
async function connected() {
  const { client, fetches } = newClient();
  FakeSocket.answer = (socket, frame) => {
    const respond = (result: object) =>
      queueMicrotask(() => socket.frame({ type: 'response', req_id: frame.req_id, result }));
    if (frame.type === 'channel.watch') respond(watchResult);
    if (frame.type === 'channel.read')
      respond({ read: {}, unread_count: 0, total_unread_count: 0, unread_channels: 0 });
  };
  const connecting = client.connectUser({ id: 'ann' }, 'token');
  await vi.advanceTimersByTimeAsync(0);
  FakeSocket.last.ok(60_000);
  await connecting;
  const channel = client.channel('messaging', 'general');
  await channel.watch();
  return { client, channel, fetches };
}

describe('ChatClient', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.all = [];
    FakeSocket.answer = null;
  });
  afterEach(() => vi.useRealTimers());

  describe('checks arguments before sending anything', () => {
    it('refuses a bad url, channel type or channel id with invalid_request', () => {
      expect(() => new ChatClient({ url: 'chat.test' })).toThrow(ChatError);
      const { client } = newClient();
      for (const call of [
        () => client.channel('Bad Type!', 'x'),
        () => client.channel('messaging', 'no spaces'),
        () => client.channel('messaging', { members: [] }),
        () => client.channel('messaging', 'x', { data: [] as unknown as Record<string, unknown> }),
      ]) {
        expect(call).toThrow(expect.objectContaining({ code: 'invalid_request' }));
      }
      expect(FakeSocket.all).toHaveLength(0);
    });

    it('refuses calls before connectUser, and a bad user or token', async () => {
      const { client, fetches } = newClient();
      const channel = client.channel('messaging', 'general');
      const refused = { code: 'invalid_request' };
      await expect(channel.watch()).rejects.toMatchObject(refused);
      await expect(channel.sendMessage({ text: 'hi' })).rejects.toMatchObject(refused);
      await expect(channel.loadOlder()).rejects.toMatchObject(refused);
      await expect(client.queryChannels()).rejects.toMatchObject(refused);
      expect(() => channel.markRead()).toThrow(ChatError);
      expect(() => channel.keystroke()).toThrow(ChatError);
      await expect(client.connectUser({ id: 'not valid' }, 't')).rejects.toMatchObject(refused);
      await expect(client.connectUser({ id: 'ann' }, '')).rejects.toMatchObject(refused);
      expect(client.pendingCount).toBe(0);
      expect(FakeSocket.all).toHaveLength(0);
      expect(fetches()).toBe(0);
    });

    it('refuses a bad message without queueing or sending it', async () => {
      const { client, channel } = await connected();
      const shown = channel.state.messages.length;
      const cases: [unknown, string][] = [
        [{}, 'invalid_request'],
        [{ text: '   ' }, 'invalid_request'],
        [{ text: 'x'.repeat(DEFAULT_LIMITS.maxMessageLength + 1) }, 'message_too_long'],
        [{ text: 'hi', id: 'no spaces' }, 'invalid_request'],
        [{ text: 'hi', data: 'x' }, 'invalid_request'],
        [
          { text: 'hi', data: { big: 'x'.repeat(DEFAULT_LIMITS.maxCustomDataBytes) } },
          'custom_data_too_large',
        ],
      ];
      for (const [input, code] of cases) {
        await expect(channel.sendMessage(input as { text: string })).rejects.toMatchObject({
          code,
        });
      }
      expect(client.pendingCount).toBe(0);
      expect(channel.state.messages).toHaveLength(shown);
      expect(sentOfType('message.send')).toEqual([]);
    });

    it('counts text length in code points, as the server does', async () => {
      const { channel } = await connected();
      // 5,000 emoji are 10,000 UTF-16 units but 5,000 code points: allowed.
      void channel
        .sendMessage({ text: '😀'.repeat(DEFAULT_LIMITS.maxMessageLength) })
        .catch(() => {});
      expect(channel.state.messages.at(-1)?.status).toBe('sending');
    });
  });

  it('coalesces many markRead calls into one channel.read for the latest message, zeroing unread at once', async () => {
    const { client, channel } = await connected();
    expect(channel.state.unreadCount).toBe(1);
    for (let i = 0; i < 20; i++) channel.markRead();
    expect(channel.state.unreadCount).toBe(0);
    expect(client.unread.total_unread_count).toBe(0);
    await vi.advanceTimersByTimeAsync(299);
    expect(sentOfType('channel.read')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sentOfType('channel.read')).toEqual([
      expect.objectContaining({ cid: CID, message_id: 'm1' }),
    ]);
  });

  it('shows a sent message at once as sending, and ends typing locally without a frame', async () => {
    const { channel } = await connected();
    channel.keystroke();
    expect(sentOfType('typing.start')).toHaveLength(1);
    void channel.sendMessage({ text: 'hello', id: 'mine-1' }).catch(() => {});
    expect(channel.state.messages.at(-1)).toMatchObject({
      id: 'mine-1',
      status: 'sending',
      seq: 0,
      user_id: 'ann',
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sentOfType('typing.stop')).toEqual([]);
    expect(sentOfType('message.send')[0]).toMatchObject({
      cid: CID,
      message: { id: 'mine-1', text: 'hello' },
    });
  });

  it('after a reconnect, catches up again when its first re-watch gets no answer in time', async () => {
    const { client, channel } = await connected();
    const m2 = { ...watchResult.messages[0]!, id: 'm2', seq: 2, text: 'missed' };
    let watches = 0;
    FakeSocket.answer = (socket, frame) => {
      const respond = (result: object) =>
        queueMicrotask(() => socket.frame({ type: 'response', req_id: frame.req_id, result }));
      if (frame.type === 'channel.watch' && ++watches > 1)
        respond({ ...watchResult, messages: [] });
      if (frame.type === 'channel.events') {
        const events = [{ type: 'message.new', cid: CID, seq: 2, created_at: AT, message: m2 }];
        respond({ events: frame.since_seq === 1 ? events : [], has_more: false, last_seq: 2 });
      }
    };
    FakeSocket.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(500); // the longest first backoff
    FakeSocket.last.ok(60_000);
    expect(client.state).toBe('connected');
    await vi.advanceTimersByTimeAsync(10_000); // the re-watch times out
    expect(channel.state.messages.map((m) => m.id)).toEqual(['m1']);
    await vi.advanceTimersByTimeAsync(500); // backoff, then the second re-watch is answered
    expect(watches).toBe(2);
    expect(channel.state.messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(channel.state.lastSeq).toBe(2);
  });

  it('disconnect() ends the session: nothing pending is left to fire, and connectUser works again', async () => {
    const { client, channel } = await connected();
    channel.keystroke();
    channel.markRead();
    const send = channel.sendMessage({ text: 'queued' }).catch((e: ChatError) => e);
    const stopping = client.disconnect();
    await vi.advanceTimersByTimeAsync(0);
    await stopping;
    expect(client.state).toBe('disconnected');
    expect(await send).toMatchObject({ code: 'network_error' });
    expect(vi.getTimerCount()).toBe(0);
    expect(() => channel.markRead()).toThrow(ChatError);

    const again = client.connectUser({ id: 'ann' }, 'token');
    await vi.advanceTimersByTimeAsync(0);
    FakeSocket.last.ok(60_000);
    await expect(again).resolves.toMatchObject({ connectionId: 'c1' });
    expect(client.pendingCount).toBe(1); // the queued message goes out in the new session
  });
});
