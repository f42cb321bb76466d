import { ChatError } from '@parley/protocol/codes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import { TestServer } from '../../server/test/helpers/test-server.js';
import {
  ClientPool,
  recordingWebSocket,
  recordTransitions,
  settle,
  withTimeout,
} from './helpers/chat-harness.js';
import { signToken } from './helpers/tokens.js';
import { waitUntil } from './helpers/wait.js';

const WRONG_SECRET = 'not-the-server-secret-but-32-characters-long';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: token expiry and refusal`, () => {
    let server: TestServer;
    const pool = new ClientPool();

    const bobSays = async (channelId: string, id: string) => {
      const res = await server.api('POST', `/channels/messaging/${channelId}/messages`, {
        token: await server.tokenFor('bob'),
        body: { id, text: id },
      });
      expect(res.status).toBe(201);
    };

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('alice', 'bob');
    });
    afterEach(() => pool.disconnectAll());
    afterAll(async () => {
      await server?.close();
    });

    it('asks the token provider again when the server ends the connection at expiry (4003), and keeps receiving messages', async () => {
      await server.createChannel('messaging', 'expiry', ['alice', 'bob']);
      const { WebSocket, record } = recordingWebSocket();
      let calls = 0;
      // The first token ends within 2–3 s (exp has one-second resolution); later ones last.
      const provider = async () => server.tokenFor('alice', ++calls === 1 ? 3 : 3_600);
      const alice = pool.create(server.url, { WebSocket });
      const transitions = recordTransitions(alice);
      await alice.connectUser({ id: 'alice' }, provider);
      expect(calls).toBe(1);
      const channel = alice.channel('messaging', 'expiry');
      await channel.watch();
      await bobSays('expiry', 'before');
      await waitUntil('the first message', () => channel.state.messages.length === 1);

      await waitUntil(
        'the server to close at expiry',
        () => record.closeCodes.includes(4003),
        5_000,
      );
      await bobSays('expiry', 'during');
      await waitUntil(
        'a new token and a new connection',
        () => calls >= 2 && alice.state === 'connected' && record.created >= 2,
        5_000,
      );
      await bobSays('expiry', 'after');
      await waitUntil('the later messages', () => channel.state.messages.length === 3);
      await settle();
      expect(channel.state.messages.map((m) => m.id)).toEqual(['before', 'during', 'after']);
      expect(record.closeCodes).toEqual([4003]);
      expect(transitions).toContain('connected→reconnecting');
      expect(transitions.at(-1)).toBe('reconnecting→connected');
      expect(transitions).not.toContain('reconnecting→disconnected');
    });

    it('stops for good when a static token expires: disconnected, an error event, no new attempt', async () => {
      const { WebSocket, record } = recordingWebSocket();
      const alice = pool.create(server.url, { WebSocket });
      const errors: unknown[] = [];
      alice.on('error', (e: unknown) => errors.push(e));
      await alice.connectUser({ id: 'alice' }, await server.tokenFor('alice', 2));
      await waitUntil('the client to stop', () => alice.state === 'disconnected', 5_000);
      await settle(700); // with 50–300 ms backoff a retry would have happened by now
      expect(record.created).toBe(1);
      expect(record.closeCodes).toEqual([4003]);
      expect(alice.state).toBe('disconnected');
      expect(errors).toMatchObject([{ code: 'token_expired' }]);
    });

    it('rejects connectUser with token_invalid for a token signed with another secret and never tries again', async () => {
      const { WebSocket, record } = recordingWebSocket();
      const alice = pool.create(server.url, { WebSocket });
      const transitions = recordTransitions(alice);
      const forged = signToken(WRONG_SECRET, { user_id: 'alice' });

      const refusal = await withTimeout(
        alice.connectUser({ id: 'alice' }, forged),
        10_000,
        'connectUser',
      ).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toBeInstanceOf(ChatError);
      expect(refusal).toMatchObject({ code: 'token_invalid' });
      expect(alice.state).toBe('disconnected');
      await settle(700);
      expect(record.created).toBe(1);
      expect(record.closeCodes).toEqual([4500]);
      expect(transitions).toEqual(['idle→connecting', 'connecting→disconnected']);
    });

    it('does not call a token provider again after it gave a token the server refuses', async () => {
      const { WebSocket, record } = recordingWebSocket();
      const alice = pool.create(server.url, { WebSocket });
      let calls = 0;
      const provider = async () => {
        calls += 1;
        return signToken(WRONG_SECRET, { user_id: 'alice' });
      };
      await expect(
        withTimeout(alice.connectUser({ id: 'alice' }, provider), 10_000, 'connectUser'),
      ).rejects.toMatchObject({ code: 'token_invalid' });
      await settle(700);
      expect(calls).toBe(1);
      expect(record.created).toBe(1);
      expect(alice.state).toBe('disconnected');
    });
  });
}
