import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import { TestServer, TEST_API_KEY } from '../../server/test/helpers/test-server.js';
import { ChatClient, type ChatClientOptions } from '../src/index.js';

/** Polls until `check` holds (what a user would see eventually), or fails naming `what`. */
async function eventually(what: string, check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: two clients chat in a DM`, () => {
    let server: TestServer;
    const options = (): ChatClientOptions => ({
      url: server.url,
      apiKey: TEST_API_KEY,
      WebSocket: WebSocket as unknown as ChatClientOptions['WebSocket'],
      networkEvents: null,
      markReadDelayMs: 50,
    });

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('ann', 'ben');
    });
    afterAll(async () => {
      await server?.close();
    });

    // That disconnect() leaves no timer or socket behind is cleanup.test.ts's: its server runs in
    // a child process, where this one's PostgreSQL pool may open a connection mid-test.
    it('delivers messages both ways, typing and read receipts, and disconnects', async () => {
      const ann = new ChatClient(options());
      const ben = new ChatClient(options());
      const annInfo = await ann.connectUser({ id: 'ann' }, await server.tokenFor('ann'));
      await ben.connectUser({ id: 'ben' }, () => server.tokenFor('ben'));
      expect(annInfo.user.id).toBe('ann');
      expect(ann.state).toBe('connected');
      expect(ann.user?.id).toBe('ann');

      const annDm = ann.channel('messaging', { members: ['ben'] });
      await annDm.watch();
      expect(annDm.cid).toMatch(/^messaging:!members-/);
      const benDm = ben.channel('messaging', annDm.id!);
      await benDm.watch();
      expect(ann.channel('messaging', annDm.id!)).toBe(annDm);

      const typing: string[] = [];
      benDm.on('typing.start', (e) => typing.push(e.user_id));
      annDm.keystroke();
      await eventually('ben to see ann typing', () => benDm.state.typing.includes('ann'));
      expect(typing).toEqual(['ann']);

      const first = await annDm.sendMessage({ text: 'Hi Ben' });
      expect(first).toMatchObject({ text: 'Hi Ben', status: 'sent', user_id: 'ann' });
      expect(first.seq).toBeGreaterThan(0);
      await eventually(
        'ben to see the message and ann stop typing',
        () => benDm.state.messages.length === 1 && benDm.state.typing.length === 0,
      );
      expect(benDm.state.unreadCount).toBe(1);
      expect(ben.unread.total_unread_count).toBe(1);

      const reply = await benDm.sendMessage({ text: 'Hello Ann', data: { mood: 'happy' } });
      await annDm.sendMessage({ text: 'How are you?' });
      await eventually('both to hold three messages', () =>
        [annDm, benDm].every((c) => c.state.messages.filter((m) => m.seq > 0).length === 3),
      );
      const view = (messages: readonly { id: string; seq: number; status: string }[]) =>
        messages.map((m) => [m.id, m.seq, m.status]);
      expect(view(annDm.state.messages)).toEqual(view(benDm.state.messages));
      expect(annDm.state.messages.map((m) => m.text)).toEqual([
        'Hi Ben',
        'Hello Ann',
        'How are you?',
      ]);
      expect(annDm.state.messages[1]).toMatchObject({ id: reply.id, data: { mood: 'happy' } });
      expect(annDm.state.lastSeq).toBe(benDm.state.lastSeq);

      // Ben reads: one channel.read for several calls; Ann sees his read position move.
      const reads: number[] = [];
      annDm.on('message.read', (e) => reads.push(e.last_read_seq));
      benDm.markRead();
      benDm.markRead();
      benDm.markRead();
      expect(benDm.state.unreadCount).toBe(0);
      const last = annDm.state.messages.at(-1)!;
      await eventually(
        'ann to see ben read her last message',
        () => annDm.state.read['ben']?.last_read_seq === last.seq,
      );
      await eventually('ben’s unread total to reach 0', () => ben.unread.total_unread_count === 0);
      expect(reads).toEqual([last.seq]);
      expect(annDm.state.read['ben']?.last_read_message_id).toBe(last.id);

      await Promise.all([ann.disconnect(), ben.disconnect()]);
      expect([ann.state, ben.state]).toEqual(['disconnected', 'disconnected']);
      expect([ann.pendingCount, ben.pendingCount]).toEqual([0, 0]);
      expect(ann.user).toBeNull();
    });
  });
}
