import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from '../helpers/expect-error.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { TEST_SECRET, TestServer } from '../helpers/test-server.js';
import {
  decompressionBombPng,
  ELF,
  GIF_SCRIPT_POLYGLOT,
  HTML,
  PDF,
  png,
  pngHtmlPolyglot,
  SVG,
  text,
} from '../helpers/upload-fixtures.js';
import { FileUrls } from '../../src/uploads/file-urls.js';

/** A small limit, so that "the limit + 1 byte" is quick to send. */
const MAX_BYTES = 256 * 1024;

/** Every file below `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: hostile uploads`, () => {
    let server: TestServer;
    let ann: string;
    let dataDir: string;

    beforeAll(async () => {
      server = await TestServer.start(kind, {
        limits: { maxUploadBytes: MAX_BYTES, uploadsPerWindow: 0 },
        // Every upload is due for the sweeper at once: sweepUploads() counts what was stored.
        uploadRetentionMs: 0,
      });
      dataDir = server.server.config.dataDir;
      await server.createUsers('ann');
      await server.createChannel('team', 'sec', ['ann'], 'ann');
      ann = await server.tokenFor('ann');
    });
    afterAll(async () => {
      await server?.close();
    });

    const send = (bytes: Buffer, name: string) =>
      server.upload('team:sec', { bytes, name, type: 'image/png' }, { token: ann });

    /** Nothing of a refused upload is left: no record, no blob, no spooled file. */
    async function expectNothingStored(): Promise<void> {
      expect(await server.server.sweepUploads()).toBe(0);
      expect(await filesUnder(join(dataDir, 'files'))).toEqual([]);
      expect(await filesUnder(join(dataDir, 'tmp'))).toEqual([]);
    }

    it('refuses HTML sent as a PNG', async () => {
      const res = await send(HTML, 'cat.png');
      expectError(res, 'file_type_not_allowed');
      expect(res.body.error.details).toEqual({ mime: 'text/html' });
      await expectNothingStored();
    });

    it('refuses SVG (it can carry script) sent as a PNG', async () => {
      const res = await send(SVG, 'cat.png');
      expectError(res, 'file_type_not_allowed');
      expect(res.body.error.details).toEqual({ mime: 'image/svg+xml' });
      await expectNothingStored();
    });

    it('refuses executables, whatever their name', async () => {
      expectError(await send(ELF, 'report.pdf'), 'file_type_not_allowed');
      await expectNothingStored();
    });

    it('serves a PNG with an HTML page appended as a clean re-encoded image', async () => {
      const polyglot = await pngHtmlPolyglot();
      expect(polyglot.includes('<script>')).toBe(true);
      const res = await send(polyglot, 'both.html');
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ type: 'image', mime: 'image/png' });
      const file = await server.download(res.body.url);
      expect(file.bytes.includes('<script>')).toBe(false);
      expect((await sharp(file.bytes).metadata()).format).toBe('png');
      expect(file.headers.get('content-type')).toBe('image/png');
      expect(file.headers.get('x-content-type-options')).toBe('nosniff');
      expect(file.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      await server.server.sweepUploads();
    });

    it('refuses a GIF header followed by script: it does not decode as an image', async () => {
      expectError(await send(GIF_SCRIPT_POLYGLOT, 'x.gif'), 'file_type_not_allowed');
      await expectNothingStored();
    });

    it('refuses a decompression-bomb PNG before decoding it', async () => {
      const bomb = decompressionBombPng();
      expect(bomb.length).toBeLessThan(MAX_BYTES);
      const res = await send(bomb, 'bomb.png');
      expectError(res, 'file_too_large');
      expect(res.body.error.details).toEqual({ max_pixels: 50_000_000 });
      await expectNothingStored();
    });

    it('keeps only the last segment of a path-like name, and no control or bidi characters', async () => {
      const traversal = await server.upload(
        'team:sec',
        { bytes: PDF, name: '../../../etc/passwd' },
        { token: ann },
      );
      expect(traversal.body.name).toBe('passwd');
      const rtl = await server.upload(
        'team:sec',
        { bytes: PDF, name: 'invoice\u202Efdp.exe' },
        { token: ann },
      );
      expect(rtl.body.name).toBe('invoicefdp.exe');
      const file = await server.download(rtl.body.url);
      expect(file.headers.get('content-disposition')).toBe(
        `attachment; filename="invoicefdp.exe"; filename*=UTF-8''invoicefdp.exe`,
      );
      // Blob names are the server's own: nothing landed outside the files folder.
      const stored = await filesUnder(dataDir);
      expect(stored.filter((f) => !/\/(files\/|parley\.db|credentials\.json)/.test(f))).toEqual([]);
      await server.server.sweepUploads();
    });

    it('refuses a 0-byte file', async () => {
      const res = await send(Buffer.alloc(0), 'empty.txt');
      expectError(res, 'invalid_request');
      expect(res.body.error.message).toMatch(/empty/);
      await expectNothingStored();
    });

    it('takes a file of exactly the limit and refuses one byte more', async () => {
      const atLimit = await server.upload(
        'team:sec',
        { bytes: text(MAX_BYTES), name: 'a.txt' },
        { token: ann },
      );
      expect(atLimit.status).toBe(201);
      expect(atLimit.body.size).toBe(MAX_BYTES);
      expect(await server.server.sweepUploads()).toBe(1);
      const over = await server.upload(
        'team:sec',
        { bytes: text(MAX_BYTES + 1), name: 'b.txt' },
        { token: ann },
      );
      expectError(over, 'file_too_large');
      expect(over.body.error.details).toEqual({ max_bytes: MAX_BYTES });
      await expectNothingStored();
    });

    it('refuses far larger files with file_too_large, and the server carries on', async () => {
      const res = await server.upload(
        'team:sec',
        { bytes: text(8 * MAX_BYTES), name: 'big.txt' },
        { token: ann },
      );
      expectError(res, 'file_too_large');
      await expectNothingStored();
      expect(
        (await server.upload('team:sec', { bytes: PDF, name: 'ok.pdf' }, { token: ann })).status,
      ).toBe(201);
      await server.server.sweepUploads();
    });

    it("refuses a signature moved to another file's id with invalid_signature", async () => {
      const a = await server.upload('team:sec', { bytes: PDF, name: 'a.pdf' }, { token: ann });
      const b = await server.upload(
        'team:sec',
        { bytes: await png(), name: 'b.png' },
        { token: ann },
      );
      const forged = (a.body.url as string).replace(a.body.id, b.body.id);
      const res = await server.download(forged);
      expectError({ status: res.status, body: res.body }, 'invalid_signature');
      // A thumbnail's signature does not open the full file either.
      const thumbSig = new URL(b.body.thumb_url, server.url).searchParams;
      const res2 = await server.download(
        `/files/${b.body.id}?exp=${thumbSig.get('exp')}&sig=${thumbSig.get('sig')}`,
      );
      expectError({ status: res2.status, body: res2.body }, 'invalid_signature');
      await server.server.sweepUploads();
    });

    it('refuses an expired link with invalid_signature, and says it expired', async () => {
      const a = await server.upload('team:sec', { bytes: PDF, name: 'a.pdf' }, { token: ann });
      // Signed with the server's own key, an hour and a half ago, for an hour.
      const past = new FileUrls(TEST_SECRET, 3600, () => Date.now() - 90 * 60_000);
      const res = await server.download(past.sign(a.body.id));
      expectError({ status: res.status, body: res.body }, 'invalid_signature');
      expect(res.body.error.details).toEqual({ expired: true });
      expect((await server.download(a.body.url)).status).toBe(200);
      await server.server.sweepUploads();
    });

    it('refuses a tampered expiry or signature', async () => {
      const a = await server.upload('team:sec', { bytes: PDF, name: 'a.pdf' }, { token: ann });
      const url = new URL(a.body.url, server.url);
      const exp = Number(url.searchParams.get('exp'));
      const later = a.body.url.replace(`exp=${exp}`, `exp=${exp + 86_400}`);
      expectError(await server.download(later).then((r) => ({ ...r })), 'invalid_signature');
      const sig = url.searchParams.get('sig')!;
      const flipped = a.body.url.replace(sig, (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1));
      expectError(await server.download(flipped), 'invalid_signature');
      await server.server.sweepUploads();
    });
  });
}
