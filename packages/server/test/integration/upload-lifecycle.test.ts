import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3BlobStore } from '../../src/blobs/s3/s3-blob-store.js';
import { expectError } from '../helpers/expect-error.js';
import { S3_AVAILABLE, startTestS3, type TestS3 } from '../helpers/s3.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { TestServer } from '../helpers/test-server.js';
import { PDF, png } from '../helpers/upload-fixtures.js';

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: uploads no message takes`, () => {
    it('are removed with their blobs once the retention time has passed', async () => {
      const server = await TestServer.start(kind, { uploadRetentionMs: 0 });
      try {
        await server.createUsers('ann');
        await server.createChannel('team', 'x', ['ann'], 'ann');
        const ann = await server.tokenFor('ann');
        const res = await server.upload(
          'team:x',
          { bytes: await png(), name: 'a.png' },
          { token: ann },
        );
        expect((await server.download(res.body.url)).status).toBe(200);
        expect(await server.server.sweepUploads()).toBe(1);
        const gone = await server.download(res.body.url);
        expectError({ status: gone.status, body: gone.body }, 'file_not_found');
        const thumb = await server.download(res.body.thumb_url);
        expectError({ status: thumb.status, body: thumb.body }, 'file_not_found');
        const left = await readdir(join(server.server.config.dataDir, 'files'), {
          recursive: true,
          withFileTypes: true,
        });
        expect(left.filter((e) => e.isFile())).toEqual([]);
      } finally {
        await server.close();
      }
    });

    it('are kept within the retention time', async () => {
      const server = await TestServer.start(kind);
      try {
        await server.createUsers('ann');
        await server.createChannel('team', 'x', ['ann'], 'ann');
        const res = await server.upload(
          'team:x',
          { bytes: PDF, name: 'a.pdf' },
          { fields: { user_id: 'ann' } },
        );
        expect(await server.server.sweepUploads()).toBe(0);
        expect((await server.download(res.body.url)).bytes.equals(PDF)).toBe(true);
      } finally {
        await server.close();
      }
    });
  });

  describe(`${kind}: the upload budget`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await TestServer.start(kind, {
        limits: { uploadsPerWindow: 2, rateWindowMs: 60_000 },
      });
      await server.createUsers('ann', 'ben');
      await server.createChannel('team', 'x', ['ann', 'ben'], 'ann');
    });
    afterAll(async () => {
      await server?.close();
    });

    it('refuses a user’s uploads past it with rate_limited; others and the server go on', async () => {
      const ann = await server.tokenFor('ann');
      const file = { bytes: PDF, name: 'a.pdf' };
      expect((await server.upload('team:x', file, { token: ann })).status).toBe(201);
      expect((await server.upload('team:x', file, { token: ann })).status).toBe(201);
      const refused = await server.upload('team:x', file, { token: ann });
      expectError(refused, 'rate_limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(
        (await server.upload('team:x', file, { token: await server.tokenFor('ben') })).status,
      ).toBe(201);
      expect((await server.upload('team:x', file, { fields: { user_id: 'ann' } })).status).toBe(
        201,
      );
    });
  });
}

// The S3 store behind a real server; on SQLite, as the storage does not matter here.
describe.skipIf(!S3_AVAILABLE)('s3: uploads in an S3-compatible bucket', () => {
  let s3: TestS3;
  let server: TestServer;

  beforeAll(async () => {
    s3 = await startTestS3();
    server = await TestServer.start(
      'sqlite',
      { uploadRetentionMs: 0 },
      { blobs: createS3BlobStore(s3.options) },
    );
    await server.createUsers('ann');
    await server.createChannel('team', 's3', ['ann'], 'ann');
  });
  afterAll(async () => {
    await server?.close();
    await s3?.close();
  });

  it('stores and serves a file and its thumbnail from the bucket, then sweeps them', async () => {
    const res = await server.upload(
      'team:s3',
      { bytes: await png(640, 480), name: 'p.png' },
      { fields: { user_id: 'ann' } },
    );
    expect(res.status).toBe(201);
    const image = await server.download(res.body.url);
    expect((await sharp(image.bytes).metadata()).width).toBe(640);
    expect((await server.download(res.body.thumb_url)).headers.get('content-type')).toBe(
      'image/webp',
    );
    const pdf = await server.upload(
      'team:s3',
      { bytes: PDF, name: 'a.pdf' },
      { fields: { user_id: 'ann' } },
    );
    const part = await server.download(pdf.body.url, { range: 'bytes=1-4' });
    expect(part.status).toBe(206);
    expect(part.bytes.toString()).toBe('PDF-');
    expect(await server.server.sweepUploads()).toBe(2);
    const blobs = createS3BlobStore(s3.options);
    try {
      expect(await blobs.get(`${res.body.id.slice(0, 2)}/${res.body.id}`)).toBeNull();
    } finally {
      await blobs.close();
    }
  });
});
