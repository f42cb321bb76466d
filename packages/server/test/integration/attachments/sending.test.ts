import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectFrameError } from '../../helpers/expect-error.js';
import { startAttachmentWorld, type AttachmentWorld } from '../../helpers/attachment-world.js';
import { STORAGE_KINDS } from '../../helpers/storages.js';
import { PDF } from '../../helpers/upload-fixtures.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: sending attachments`, () => {
    let w: AttachmentWorld;

    beforeAll(async () => {
      w = await startAttachmentWorld(kind, 'attach');
      await w.server.createChannel('team', 'other', ['bob'], 'bob');
    });
    afterAll(async () => {
      await w?.server.close();
    });

    const post = (user: string, body: Record<string, unknown>) =>
      w.server.api('POST', `${w.path}/messages`, w.as(user, { body }));

    it('delivers a message with an image and a PDF to the channel, with URLs that download the files', async () => {
      const watcher = await w.server.connect('carol');
      try {
        await watcher.watch(w.cid);
        const photo = await w.image('bob');
        const pdf = await w.upload('bob');
        const sent = await post('bob', {
          text: 'slides and a photo',
          attachments: [{ id: photo.id }, { id: pdf.id }],
        });
        expect(sent.status).toBe(201);
        const { attachments } = sent.body.message;
        expect(attachments.map((a: { id: string }) => a.id)).toEqual([photo.id, pdf.id]);
        expect(attachments[0]).toMatchObject({
          type: 'image',
          mime: 'image/png',
          width: 64,
          height: 48,
          name: 'photo.png',
        });
        expect(attachments[1]).toMatchObject({ type: 'file', mime: 'application/pdf' });
        expect(attachments[1].thumb_url).toBeUndefined();

        const event = await watcher.waitFor(
          (f) => f.type === 'message.new' && f.message.id === sent.body.message.id,
        );
        const [image, file] = event.message.attachments;
        expect((await w.server.download(file.url)).bytes.equals(PDF)).toBe(true);
        const thumb = await w.server.download(image.thumb_url);
        expect(thumb.status).toBe(200);
        expect(thumb.headers.get('content-type')).toBe('image/webp');
      } finally {
        await watcher.close();
      }
    });

    it('sends files without text, but not an empty message without files', async () => {
      const pdf = await w.upload('bob');
      const sent = await post('bob', { attachments: [{ id: pdf.id }] });
      expect(sent.status).toBe(201);
      expect(sent.body.message).toMatchObject({ text: '', attachments: [{ id: pdf.id }] });
      expectError(await post('bob', { text: '  ' }), 'invalid_request');
      expectError(await post('bob', {}), 'invalid_request');
    });

    it('refuses another user’s upload, another channel’s, one already sent, and an unknown one, storing nothing', async () => {
      const carols = await w.upload('carol');
      const elsewhere = await w.upload('bob', undefined, 'team:other');
      const free = await w.upload('bob');
      const used = await w.upload('bob');
      expect((await post('bob', { text: 'first', attachments: [{ id: used.id }] })).status).toBe(
        201,
      );
      const before = (await w.events()).length;
      const cases = [
        [carols.id, 'attachment_not_owned'],
        [elsewhere.id, 'attachment_wrong_channel'],
        [used.id, 'attachment_in_use'],
        ['no-such-upload', 'file_not_found'],
      ] as const;
      for (const [id, code] of cases) {
        const res = await post('bob', {
          id: `refused-${code}`,
          text: 'x',
          attachments: [{ id: free.id }, { id }],
        });
        expectError(res, code);
        expect(res.body.error.details).toEqual({ attachment_id: id });
      }
      expect(await w.events()).toHaveLength(before);
      // Nothing was taken by the refused sends: the free upload is still free.
      const later = await post('bob', { text: 'now', attachments: [{ id: free.id }] });
      expect(later.status).toBe(201);
    });

    it('refuses more than 10 attachments and the same one twice', async () => {
      const ids = Array.from({ length: 11 }, (_, i) => ({ id: `u${i}` }));
      expectError(await post('bob', { text: 'x', attachments: ids }), 'invalid_request');
      const pdf = await w.upload('bob');
      expectError(
        await post('bob', { text: 'x', attachments: [{ id: pdf.id }, { id: pdf.id }] }),
        'invalid_request',
      );
      expectError(
        await post('bob', { text: 'x', attachments: [{ id: pdf.id, url: '/x' }] }),
        'invalid_request',
      );
    });

    it('answers a retry of the same message id with the stored message, files and all', async () => {
      const pdf = await w.upload('bob');
      const body = { id: 'retry-with-file', text: 'once', attachments: [{ id: pdf.id }] };
      const first = await post('bob', body);
      const again = await post('bob', body);
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({
        duplicate: true,
        message: { id: 'retry-with-file', attachments: [{ id: pdf.id }] },
      });
      const copies = (await w.events()).filter((e) => e.message?.id === 'retry-with-file');
      expect(copies).toHaveLength(1);
    });

    it('gives an upload to exactly one of two messages that race for it', async () => {
      const pdf = await w.upload('bob');
      const results = await Promise.all(
        ['race-a', 'race-b', 'race-c'].map((id) =>
          post('bob', { id, text: id, attachments: [{ id: pdf.id }] }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409]);
      for (const refused of results.filter((r) => r.status !== 201)) {
        expectError(refused, 'attachment_in_use');
      }
    });

    it('sends attachments over the WebSocket, with the documented refusals', async () => {
      const bob = await w.server.connect('bob');
      try {
        const pdf = await w.upload('bob');
        const ack = await bob.request({
          type: 'message.send',
          cid: w.cid,
          message: { attachments: [{ id: pdf.id }] },
        });
        expect(ack).toMatchObject({ message: { text: '', attachments: [{ id: pdf.id }] } });
        await expectFrameError(
          bob.request({
            type: 'message.send',
            cid: w.cid,
            message: { text: 'again', attachments: [{ id: pdf.id }] },
          }),
          'attachment_in_use',
        );
      } finally {
        await bob.close();
      }
    });

    it('lets the server send a user’s upload on their behalf, and nobody else’s', async () => {
      const pdf = await w.upload('carol');
      const asBob = await w.server.api('POST', `${w.path}/messages`, {
        body: { user_id: 'bob', text: 'x', attachments: [{ id: pdf.id }] },
      });
      expectError(asBob, 'attachment_not_owned');
      const asCarol = await w.server.api('POST', `${w.path}/messages`, {
        body: { user_id: 'carol', text: 'x', attachments: [{ id: pdf.id }] },
      });
      expect(asCarol.status).toBe(201);
    });
  });
}
