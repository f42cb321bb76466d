import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3BlobStoreOptions } from '../../src/blobs/s3/s3-blob-store.js';

/**
 * A real S3-compatible server for the tests: s3rver (`@20minutes/s3rver`, a dev dependency),
 * started in this process on a free port with a bucket in a temporary folder. It speaks S3's
 * HTTP API, signatures included, so the S3 store is tested over the wire.
 */
export interface TestS3 {
  /** Options of createS3BlobStore for this server, credentials included. */
  options: S3BlobStoreOptions;
  close(): Promise<void>;
}

/** s3rver's fixed credentials. */
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

async function loadS3rver(): Promise<{
  start(bucket: string, directory: string): Promise<{ port: number; close(): Promise<void> }>;
} | null> {
  try {
    const { default: S3rver } = await import('@20minutes/s3rver');
    return {
      async start(bucket, directory) {
        const server = new S3rver({
          port: 0,
          address: '127.0.0.1',
          directory,
          silent: true,
          configureBuckets: [{ name: bucket }],
        });
        const { port } = await server.run();
        return { port, close: () => server.close() };
      },
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env['CI'] === 'true') {
      throw new Error(`the S3 test server (@20minutes/s3rver) cannot load: ${reason}`, {
        cause: error,
      });
    }
    console.warn(
      [
        '',
        '************************************************************************',
        '*  S3 test suites are SKIPPED: the blob store contract runs on disk only.',
        `*  @20minutes/s3rver could not be loaded: ${reason}`,
        '*  Run npm install; in CI (CI=true) this fails the run instead.',
        '************************************************************************',
        '',
      ].join('\n'),
    );
    return null;
  }
}

const s3rver = await loadS3rver();

/** True when the S3 suites run. */
export const S3_AVAILABLE = s3rver !== null;

/** Starts an S3 server with one empty bucket; `close` stops it and removes its files. */
export async function startTestS3(bucket = 'parley-test'): Promise<TestS3> {
  if (s3rver === null) throw new Error('no S3 test server');
  const directory = await mkdtemp(join(tmpdir(), 'parley-s3-'));
  const server = await s3rver.start(bucket, directory);
  return {
    options: {
      bucket,
      endpoint: `http://127.0.0.1:${server.port}`,
      forcePathStyle: true,
      credentials: CREDENTIALS,
    },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
