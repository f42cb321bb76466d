import { beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_KINDS } from '../../server/test/helpers/storages.js';
import type { TestServer } from '../../server/test/helpers/test-server.js';
import { HTML, PDF, png } from '../../server/test/helpers/upload-fixtures.js';
import { MemoryQueueStore, type LocalMessage, type UploadProgress } from '../src/index.js';
import { settle, withTimeout } from './helpers/chat-harness.js';
import { useProxiedServer } from './helpers/proxied-server.js';
import type { TcpProxy } from './helpers/tcp-proxy.js';
import { waitUntil } from './helpers/wait.js';

const pdf = () => new File([new Uint8Array(PDF)], 'slides.pdf', { type: 'application/pdf' });

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: sending files`, () => {
    let server: TestServer;
    let proxy: TcpProxy;

    const history = async (channelId: string): Promise<any[]> =>
      (await server.api('GET', `/channels/messaging/${channelId}/messages?limit=50`)).body.messages;
    const connect = async (user: string, channelId: string, options = {}) => {
      const client = pool.create(proxy.url, options);
      await client.connectUser({ id: user }, await server.tokenFor(user));
      const channel = client.channel('messaging', channelId);
      await channel.watch();
      return { client, channel };
    };

    const world = useProxiedServer(kind, ['alice', 'bob']);
    const { pool } = world;
    beforeAll(() => {
      ({ server, proxy } = world);
    });

    it('uploads the files, shows their progress on the pending message, then sends it to the channel', async () => {
      await server.createChannel('messaging', 'files', ['alice', 'bob']);
      const { channel } = await connect('alice', 'files');
      const { channel: bobs } = await connect('bob', 'files');
      const photo = new File([new Uint8Array(await png())], 'photo.png', { type: 'image/png' });
      const progress: UploadProgress[] = [];
      const shown: LocalMessage[] = [];
      channel.on('state.changed', (state) => {
        const pending = state.messages.find((m) => m.status === 'sending');
        if (pending !== undefined) shown.push(pending);
      });
      const sent = await withTimeout(
        channel.sendMessage({
          text: 'the slides and a photo',
          attachments: [pdf(), photo],
          onUploadProgress: (p) => progress.push(p),
        }),
        10_000,
        'the send',
      );
      expect(sent.status).toBe('sent');
      expect(sent.attachments.map((a) => [a.name, a.type])).toEqual([
        ['slides.pdf', 'file'],
        ['photo.png', 'image'],
      ]);
      // Shown at once with both files, none uploaded; then each file as it went up.
      expect(shown[0]!.uploads!.map((u) => [u.name, u.loaded])).toEqual([
        ['slides.pdf', 0],
        ['photo.png', 0],
      ]);
      expect(shown.at(-1)!.uploads!.every((u) => u.loaded === u.size)).toBe(true);
      const total = PDF.length + photo.size;
      expect(progress.at(-1)).toMatchObject({ loaded: total, total });
      expect(progress.map((p) => p.loaded)).toEqual(
        [...progress.map((p) => p.loaded)].sort((a, b) => a - b),
      );

      await waitUntil('bob to get it', () => bobs.state.messages.some((m) => m.id === sent.id));
      const received = bobs.state.messages.find((m) => m.id === sent.id)!;
      const file = await server.download(received.attachments[0]!.url);
      expect(file.bytes.equals(PDF)).toBe(true);
    });

    it('sends files without text, and refuses no text without files before sending', async () => {
      await server.createChannel('messaging', 'bare', ['alice', 'bob']);
      const { channel } = await connect('alice', 'bare');
      const sent = await channel.sendMessage({ attachments: [pdf()] });
      expect(sent).toMatchObject({ text: '', status: 'sent' });
      await expect(channel.sendMessage({ attachments: [] })).rejects.toMatchObject({
        code: 'invalid_request',
      });
      await expect(
        channel.sendMessage({ text: 'x', attachments: ['not a file'] as never }),
      ).rejects.toMatchObject({ code: 'invalid_request' });
    });

    it('marks a message whose file the server refuses as failed; a retry once allowed sends it', async () => {
      await server.createChannel('messaging', 'refused', ['bob']);
      // Alice is not a member yet: the server refuses her upload (not_member).
      const { channel } = await connect('alice', 'refused').catch(async () => {
        const client = pool.create(proxy.url);
        await client.connectUser({ id: 'alice' }, await server.tokenFor('alice'));
        return { client, channel: client.channel('messaging', 'refused') };
      });
      const html = new File([new Uint8Array(HTML)], 'page.html');
      await expect(
        channel.sendMessage({ text: 'page', attachments: [html] }),
      ).rejects.toMatchObject({
        code: 'not_member',
      });
      await server.api('POST', '/channels/messaging/refused/members', {
        body: { user_ids: ['alice'] },
      });
      const failed = await channel.sendMessage({ text: 'slides', attachments: [pdf()] });
      expect(failed.status).toBe('sent');
      const stored = await history('refused');
      expect(stored.map((m) => m.text)).toEqual(['slides']);
    });

    it('retries a failed upload: the message goes out with its file once', async () => {
      await server.createChannel('messaging', 'retry', ['alice', 'bob']);
      const { channel } = await connect('alice', 'retry');
      // Bob removes alice between her upload and her send: the send is refused, not the file.
      await server.api('DELETE', '/channels/messaging/retry/members', {
        body: { user_ids: ['alice'] },
      });
      const refused = channel.sendMessage({ text: 'contract', attachments: [pdf()] });
      await expect(refused).rejects.toMatchObject({ code: 'not_member' });
      const failed = channel.state.messages.find((m) => m.text === 'contract')!;
      expect(failed.status).toBe('failed');
      expect(failed.uploads).toHaveLength(1);
      await server.api('POST', '/channels/messaging/retry/members', {
        body: { user_ids: ['alice'] },
      });
      const sent = await channel.retry(failed.id);
      expect(sent).toMatchObject({
        id: failed.id,
        status: 'sent',
        attachments: [{ name: 'slides.pdf' }],
      });
      expect((await history('retry')).filter((m) => m.id === failed.id)).toHaveLength(1);
    });

    it('cancels a send whose file is still uploading: nothing is stored, the pending message goes', async () => {
      await server.createChannel('messaging', 'cancel', ['alice', 'bob']);
      const { client, channel } = await connect('alice', 'cancel');
      proxy.delayServer(1_500);
      const abort = new AbortController();
      const send = channel.sendMessage({
        text: 'oops',
        attachments: [pdf()],
        signal: abort.signal,
      });
      await settle(200);
      abort.abort();
      await expect(send).rejects.toMatchObject({ name: 'AbortError' });
      expect(channel.state.messages.some((m) => m.text === 'oops')).toBe(false);
      expect(client.pendingCount).toBe(0);
      proxy.delayServer(0);
      await settle(2_000);
      expect(await history('cancel')).toEqual([]);
    });

    it('sends the files of a message queued offline once, from the store, after a reload', async () => {
      await server.createChannel('messaging', 'reload', ['alice', 'bob']);
      const store = new MemoryQueueStore();
      const first = await connect('alice', 'reload', { queueStore: store });
      proxy.pause();
      proxy.cut();
      await waitUntil('alice to be offline', () => first.client.state === 'reconnecting');
      const queued = first.channel.sendMessage({ text: 'offline slides', attachments: [pdf()] });
      queued.catch(() => {}); // the page goes away with it
      await settle(300);
      await first.client.disconnect();
      proxy.resume();

      // The page again: a new client on the same store.
      const second = await connect('alice', 'reload', { queueStore: store });
      await waitUntil('the queue to drain', () => second.client.pendingCount === 0, 10_000);
      const stored = await history('reload');
      expect(stored.map((m) => m.text)).toEqual(['offline slides']);
      const download = await server.download(stored[0].attachments[0].url);
      expect(download.bytes.equals(PDF)).toBe(true);
    });

    it('keeps queued files only up to maxOfflineFileBytes: past it, the message is refused after a reload, never sent without its file', async () => {
      await server.createChannel('messaging', 'budget', ['alice', 'bob']);
      const store = new MemoryQueueStore();
      const options = { queueStore: store, maxOfflineFileBytes: PDF.length - 1 };
      const first = await connect('alice', 'budget', options);
      proxy.pause();
      proxy.cut();
      await waitUntil('alice to be offline', () => first.client.state === 'reconnecting');
      first.channel.sendMessage({ text: 'too big to keep', attachments: [pdf()] }).catch(() => {});
      await settle(300);
      await first.client.disconnect();
      proxy.resume();

      const second = await connect('alice', 'budget', options);
      await waitUntil('the queue to give it up', () => second.client.pendingCount === 0);
      await settle();
      expect(await history('budget')).toEqual([]);
    });
  });
}
