import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../../helpers/expect-error.js';
import { startAttachmentWorld, type AttachmentWorld } from '../../helpers/attachment-world.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: attachments in what readers get, and their deletion`, () => {
    let w: AttachmentWorld;

    beforeAll(async () => {
      w = await startAttachmentWorld(kind, 'files', { uploadRetentionMs: 0 });
    });
    afterAll(async () => {
      await w?.server.close();
    });

    /** Sends a message as bob with a fresh image; answers the message. */
    const sendPhoto = async (extra: Record<string, unknown> = {}) => {
      const photo = await w.image('bob');
      return w.send('bob', { text: 'a photo', attachments: [{ id: photo.id }], ...extra });
    };
    const downloadable = async (attachment: { url: string; thumb_url?: string }) =>
      (await w.server.download(attachment.url)).status === 200 &&
      (attachment.thumb_url === undefined ||
        (await w.server.download(attachment.thumb_url)).status === 200);

    it('shows the files with working URLs in history, GET /messages/:id, replies, search and recovered events', async () => {
      const parent = await sendPhoto({ text: 'holiday pictures' });
      const reply = await sendPhoto({ text: 'one more', parent_id: parent.id });
      const history = await w.server.api('GET', `${w.path}/messages?limit=5`, w.as('carol'));
      const inHistory = history.body.messages.find((m: { id: string }) => m.id === parent.id);
      expect(await downloadable(inHistory.attachments[0])).toBe(true);
      const one = await w.server.api('GET', `/messages/${parent.id}`, w.as('carol'));
      expect(await downloadable(one.body.message.attachments[0])).toBe(true);
      const replies = await w.server.api('GET', `/messages/${parent.id}/replies`, w.as('carol'));
      expect(replies.body.messages[0].id).toBe(reply.id);
      expect(await downloadable(replies.body.messages[0].attachments[0])).toBe(true);
      const found = await w.server.api('GET', `/search?q=holiday&cid=${w.cid}`, w.as('carol'));
      expect(found.body.results[0].message.attachments).toHaveLength(1);
      expect(await downloadable(found.body.results[0].message.attachments[0])).toBe(true);
      const event = (await w.events()).find((e) => e.message?.id === parent.id)!;
      expect(await downloadable(event.message.attachments[0])).toBe(true);
    });

    it('filters search by has_attachments', async () => {
      await w.send('bob', { text: 'quarterly report, text only' });
      const photo = await w.upload('bob');
      await w.send('bob', { text: 'quarterly report attached', attachments: [{ id: photo.id }] });
      const search = async (filter: string) =>
        (
          await w.server.api('GET', `/search?q=quarterly&sort=newest${filter}`, w.as('carol'))
        ).body.results.map((r: { message: { text: string } }) => r.message.text);
      expect(await search('')).toEqual([
        'quarterly report attached',
        'quarterly report, text only',
      ]);
      expect(await search('&has_attachments=true')).toEqual(['quarterly report attached']);
      expect(await search('&has_attachments=false')).toEqual(['quarterly report, text only']);
      expectError(
        await w.server.api('GET', '/search?q=quarterly&has_attachments=yes', w.as('carol')),
        'invalid_request',
      );
    });

    it('keeps the files through edits, and lets their text be emptied', async () => {
      const message = await sendPhoto();
      const edited = await w.server.api(
        'PATCH',
        `/messages/${message.id}`,
        w.as('bob', { body: { text: '' } }),
      );
      expect(edited.status).toBe(200);
      expect(edited.body.message).toMatchObject({
        text: '',
        attachments: [{ id: message.attachments[0].id }],
      });
      const textOnly = await w.send('bob', { text: 'words' });
      expectError(
        await w.server.api(
          'PATCH',
          `/messages/${textOnly.id}`,
          w.as('bob', { body: { text: '' } }),
        ),
        'invalid_request',
      );
    });

    it('removes the files of a deleted message: URLs, blobs and the copies in the event log', async () => {
      const message = await sendPhoto();
      const [attachment] = message.attachments;
      const filesBefore = await w.storedFiles();
      const deleted = await w.server.api('DELETE', `/messages/${message.id}`, w.as('bob'));
      expect(deleted.body.message.attachments).toEqual([]);
      expectError(await w.server.download(attachment.url), 'file_not_found');
      expectError(await w.server.download(attachment.thumb_url), 'file_not_found');
      // The image and its thumbnail are gone from the blob store.
      expect(await w.storedFiles()).toHaveLength(filesBefore.length - 2);
      const copies = (await w.events()).filter((e) => e.message?.id === message.id);
      expect(copies.map((e) => e.message.attachments)).toEqual(copies.map(() => []));
    });

    it('removes the files of a thread deleted for good, replies included', async () => {
      const parent = await sendPhoto();
      const reply = await sendPhoto({ parent_id: parent.id });
      const res = await w.server.api('DELETE', `/messages/${parent.id}?hard=true`);
      expect(res.status).toBe(200);
      for (const m of [parent, reply]) {
        expectError(await w.server.download(m.attachments[0].url), 'file_not_found');
      }
    });

    it('does not sweep files that a message carries', async () => {
      const message = await sendPhoto();
      const unsent = await w.upload('bob');
      await w.server.server.sweepUploads();
      expect(await downloadable(message.attachments[0])).toBe(true);
      expectError(await w.server.download(unsent.url), 'file_not_found');
    });

    it('removes every file of a deleted channel, sent or not', async () => {
      await w.server.createChannel('team', 'doomed', ['bob'], 'bob');
      const sent = await w.upload('bob', undefined, 'team:doomed');
      const res = await w.server.api('POST', '/channels/team/doomed/messages', {
        body: { user_id: 'bob', text: 'x', attachments: [{ id: sent.id }] },
      });
      expect(res.status).toBe(201);
      const unsent = await w.upload('bob', undefined, 'team:doomed');
      const filesBefore = await w.storedFiles();
      expect((await w.server.api('DELETE', '/channels/team/doomed')).status).toBe(200);
      for (const upload of [sent, unsent]) {
        expectError(await w.server.download(upload.url), 'file_not_found');
      }
      expect(await w.storedFiles()).toHaveLength(filesBefore.length - 2);
    });
  });
}
