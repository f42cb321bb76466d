import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../src/blobs/blob-store.js';
import { createDiskBlobStore } from '../../src/blobs/disk/disk-blob-store.js';
import { createS3BlobStore } from '../../src/blobs/s3/s3-blob-store.js';
import { S3_AVAILABLE, startTestS3 } from '../helpers/s3.js';

interface Variant {
  name: string;
  available: boolean;
  /** A fresh, empty store, and what stops it. */
  start(): Promise<{ store: BlobStore; stop(): Promise<void> }>;
}

const VARIANTS: Variant[] = [
  {
    name: 'disk',
    available: true,
    async start() {
      const root = await mkdtemp(join(tmpdir(), 'parley-blobs-'));
      return {
        store: createDiskBlobStore({ root }),
        stop: () => rm(root, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 's3',
    available: S3_AVAILABLE,
    async start() {
      const s3 = await startTestS3();
      const store = createS3BlobStore(s3.options);
      return { store, stop: async () => (await store.close(), await s3.close()) };
    },
  },
];

const bytes = (s: string) => Readable.from([Buffer.from(s)]);
const read = async (store: BlobStore, key: string, range?: { start: number; end: number }) => {
  const body = await store.get(key, range);
  return body === null ? null : text(body);
};

/** A body that sends some bytes, then fails as a broken upload would. */
function failingBody(): Readable {
  return new Readable({
    read() {
      this.push(Buffer.from('half of it'));
      this.destroy(new Error('the client went away'));
    },
  });
}

for (const variant of VARIANTS) {
  // Skipped only when its server cannot load, which helpers/s3.ts reports loudly (and fails in CI).
  describe.skipIf(!variant.available)(`${variant.name}: blob store`, () => {
    let store: BlobStore;
    let stop: () => Promise<void>;

    beforeAll(async () => {
      ({ store, stop } = await variant.start());
    });
    afterAll(async () => {
      await stop?.();
    });

    it('gives back what was stored, whole or a byte range', async () => {
      const body = Readable.from([Buffer.from('hello '), Buffer.from('world')]);
      await store.put('uploads/a/one', body, { size: 11, contentType: 'text/plain' });
      expect(await read(store, 'uploads/a/one')).toBe('hello world');
      expect(await read(store, 'uploads/a/one', { start: 6, end: 10 })).toBe('world');
      // (Not `0-0`: s3rver, the test S3 server, reads an end of 0 as "to the end".)
      expect(await read(store, 'uploads/a/one', { start: 0, end: 1 })).toBe('he');
    });

    it('streams a blob larger than any buffer, byte for byte', async () => {
      const chunk = Buffer.alloc(64 * 1024, 7);
      const chunks = Array.from({ length: 80 }, (_, i) => Buffer.from(chunk.map((b) => b + i)));
      const size = chunks.length * chunk.length;
      await store.put('big', Readable.from(chunks), { size, contentType: 'application/zip' });
      const back = await store.get('big');
      const received: Buffer[] = [];
      for await (const part of back!) received.push(part as Buffer);
      expect(Buffer.concat(received).equals(Buffer.concat(chunks))).toBe(true);
    });

    it('answers null for a blob that does not exist', async () => {
      expect(await store.get('never/stored')).toBeNull();
    });

    it('stores nothing when the body fails half-way', async () => {
      await expect(
        store.put('broken', failingBody(), { size: 100, contentType: 'text/plain' }),
      ).rejects.toThrow();
      expect(await store.get('broken')).toBeNull();
    });

    it('stores nothing when the body is shorter or longer than announced', async () => {
      await expect(
        store.put('short', bytes('four'), { size: 5, contentType: 'text/plain' }),
      ).rejects.toThrow();
      await expect(
        store.put('long', bytes('sixsix'), { size: 5, contentType: 'text/plain' }),
      ).rejects.toThrow();
      expect(await store.get('short')).toBeNull();
      expect(await store.get('long')).toBeNull();
    });

    it('deletes blobs, and ignores keys that do not exist', async () => {
      await store.put('gone/1', bytes('1'), { size: 1, contentType: 'text/plain' });
      await store.put('gone/2', bytes('2'), { size: 1, contentType: 'text/plain' });
      await store.delete(['gone/1', 'gone/2', 'gone/never']);
      expect(await store.get('gone/1')).toBeNull();
      expect(await store.get('gone/2')).toBeNull();
    });

    it('refuses keys that could leave the store', async () => {
      for (const key of ['../outside', 'a/../../b', '/abs', 'a//b', '.', 'a/./b', '', 'a\\b']) {
        await expect(
          store.put(key, bytes('x'), { size: 1, contentType: 'text/plain' }),
          key,
        ).rejects.toThrow(/invalid blob key/);
        await expect(store.get(key), key).rejects.toThrow(/invalid blob key/);
      }
    });
  });
}

describe('disk: blob store files', () => {
  it('leaves no partial file behind a failed write', async () => {
    const root = await mkdtemp(join(tmpdir(), 'parley-blobs-'));
    try {
      const store = createDiskBlobStore({ root });
      await expect(
        store.put('x/y', failingBody(), { size: 100, contentType: 'text/plain' }),
      ).rejects.toThrow();
      expect(await readdir(join(root, '.partial'))).toEqual([]);
      expect(await readdir(root)).toEqual(['.partial']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
