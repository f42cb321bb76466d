import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachmentSchema } from '@parley/protocol';
import { expectError } from '../helpers/expect-error.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { TestServer } from '../helpers/test-server.js';
import { GPS_TEXT, jpegWithExif, PDF, png, text } from '../helpers/upload-fixtures.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: uploads and downloads`, () => {
    let server: TestServer;
    let ann: string;
    let carol: string;

    beforeAll(async () => {
      server = await TestServer.start(kind, { limits: { uploadsPerWindow: 0 } });
      await server.createUsers('ann', 'ben', 'carol');
      await server.createChannel('team', 'talks', ['ann', 'ben'], 'ann');
      ann = await server.tokenFor('ann');
      carol = await server.tokenFor('carol');
    });
    afterAll(async () => {
      await server?.close();
    });

    it('stores a PDF and serves it back byte for byte, as a download', async () => {
      const res = await server.upload(
        'team:talks',
        { bytes: PDF, name: 'slides.pdf' },
        { token: ann },
      );
      expect(res.status).toBe(201);
      expect(attachmentSchema.strict().parse(res.body)).toMatchObject({
        type: 'file',
        mime: 'application/pdf',
        size: PDF.length,
        name: 'slides.pdf',
      });
      expect(res.body.thumb_url).toBeUndefined();
      const file = await server.download(res.body.url);
      expect(file.status).toBe(200);
      expect(file.bytes.equals(PDF)).toBe(true);
      expect(file.headers.get('content-type')).toBe('application/pdf');
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="slides.pdf"/);
      expect(file.headers.get('x-content-type-options')).toBe('nosniff');
      expect(file.headers.get('content-security-policy')).toMatch(/sandbox/);
      expect(file.headers.get('cache-control')).toMatch(/^private, max-age=\d+/);
    });

    it('answers HEAD with the headers of the file and no body', async () => {
      const res = await server.upload('team:talks', { bytes: PDF, name: 'h.pdf' }, { token: ann });
      const head = await fetch(server.url + res.body.url, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(PDF.length));
      expect(head.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await head.arrayBuffer()).byteLength).toBe(0);
    });

    it('answers Range requests for a PDF with the bytes asked for', async () => {
      const res = await server.upload('team:talks', { bytes: PDF, name: 'a.pdf' }, { token: ann });
      const part = await server.download(res.body.url, { range: 'bytes=5-12' });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 5-12/${PDF.length}`);
      expect(part.bytes.equals(PDF.subarray(5, 13))).toBe(true);
      const past = await server.download(res.body.url, { range: `bytes=${PDF.length}-` });
      expectError({ status: past.status, body: past.body }, 'range_not_satisfiable');
    });

    it('sends other files whole, whatever the Range header says', async () => {
      const notes = text(300);
      const res = await server.upload(
        'team:talks',
        { bytes: notes, name: 'notes.txt' },
        { token: ann },
      );
      expect(res.body).toMatchObject({ type: 'file', mime: 'text/plain', size: 300 });
      const file = await server.download(res.body.url, { range: 'bytes=0-9' });
      expect(file.status).toBe(200);
      expect(file.bytes.equals(notes)).toBe(true);
      expect(file.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(file.headers.get('accept-ranges')).toBe('none');
    });

    it('serves an image inline, with its size and a thumbnail', async () => {
      const res = await server.upload(
        'team:talks',
        { bytes: await png(800, 600), name: 'me.png' },
        { token: ann },
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ type: 'image', mime: 'image/png', width: 800, height: 600 });
      const image = await server.download(res.body.url);
      expect(image.headers.get('content-disposition')).toMatch(/^inline;/);
      expect(await sharp(image.bytes).metadata()).toMatchObject({ format: 'png', width: 800 });
      const thumb = await server.download(res.body.thumb_url);
      expect(thumb.status).toBe(200);
      expect(thumb.headers.get('content-type')).toBe('image/webp');
      const meta = await sharp(thumb.bytes).metadata();
      expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({
        format: 'webp',
        width: 320,
        height: 240,
      });
    });

    it('applies the EXIF orientation and strips EXIF, GPS included, from photos', async () => {
      const photo = await jpegWithExif();
      expect(photo.includes(GPS_TEXT)).toBe(true);
      const res = await server.upload(
        'team:talks',
        { bytes: photo, name: 'IMG_1.jpg' },
        { token: ann },
      );
      expect(res.body).toMatchObject({ type: 'image', mime: 'image/jpeg', width: 40, height: 60 });
      const image = await server.download(res.body.url);
      expect(image.bytes.includes(GPS_TEXT)).toBe(false);
      const meta = await sharp(image.bytes).metadata();
      expect({ exif: meta.exif, orientation: meta.orientation, width: meta.width }).toEqual({
        exif: undefined,
        orientation: undefined,
        width: 40,
      });
    });

    it('lets the server upload for a member it names', async () => {
      const res = await server.upload(
        'team:talks',
        { bytes: PDF, name: 'a.pdf' },
        { fields: { user_id: 'ben' } },
      );
      expect(res.status).toBe(201);
      expectError(
        await server.upload(
          'team:talks',
          { bytes: PDF, name: 'a.pdf' },
          { fields: { user_id: 'carol' } },
        ),
        'not_member',
      );
      expectError(
        await server.upload('team:talks', { bytes: PDF, name: 'a.pdf' }),
        'invalid_request',
      );
    });

    it('refuses uploads to a channel the user is not in, or that does not exist', async () => {
      expectError(
        await server.upload('team:talks', { bytes: PDF, name: 'a.pdf' }, { token: carol }),
        'not_member',
      );
      expectError(
        await server.upload('team:nowhere', { bytes: PDF, name: 'a.pdf' }, { token: ann }),
        'channel_not_found',
      );
      expectError(
        await server.upload(
          'team:talks',
          { bytes: PDF, name: 'a.pdf' },
          { token: ann, fields: { user_id: 'ben' } },
        ),
        'user_mismatch',
      );
    });

    it('refuses a form whose fields come after the file, or that has no file', async () => {
      const late = await server.upload(
        'team:talks',
        { bytes: PDF, name: 'a.pdf' },
        { token: ann, fieldsAfterFile: true },
      );
      expectError(late, 'invalid_request');
      expectError(await server.upload('team:talks', null, { token: ann }), 'invalid_request');
    });

    it('refuses a JSON body with unsupported_media_type', async () => {
      const res = await server.api('POST', '/uploads', { token: ann, body: { cid: 'team:talks' } });
      expectError(res, 'unsupported_media_type');
    });

    it('answers file_not_found for a signed URL whose file is gone', async () => {
      const res = await server.upload('team:talks', { bytes: PDF, name: 'a.pdf' }, { token: ann });
      const other = (res.body.url as string).replace(res.body.id, 'no-such-file');
      const refused = await server.download(other);
      expect(refused.status).toBe(403); // the signature names the file: no probing of ids
    });
  });
}
