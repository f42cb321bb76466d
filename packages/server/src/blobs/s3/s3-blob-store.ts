import type * as S3Sdk from '@aws-sdk/client-s3';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { BlobSizeMismatchError, checkBlobKey, type BlobStore } from '../blob-store.js';

/** Where a blob is written before it is copied into place (under the key prefix). */
const STAGING = '.partial';

/** Deletes sent at once. */
const DELETE_CONCURRENCY = 8;

/** What the S3 store needs. Credentials come from the usual AWS variables and files. */
export interface S3BlobStoreOptions {
  /** The bucket; it must exist. */
  bucket: string;
  /** An S3-compatible service's URL; unset for AWS. */
  endpoint?: string | undefined;
  /** Default `us-east-1`. */
  region?: string | undefined;
  /** `endpoint/bucket/key` addressing. Default: true when an endpoint is set. */
  forcePathStyle?: boolean | undefined;
  /** Prefix of every object key. Default none. */
  keyPrefix?: string | undefined;
  /** Explicit credentials (tests); default: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, profiles, roles. */
  credentials?: S3ClientConfig['credentials'];
}

/** Any S3-compatible object store, through the AWS SDK. */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  // The SDK costs about 20 MB of memory: it is loaded when the store is first used, so a
  // server that keeps its files on disk never loads it.
  let loaded: Promise<{ client: S3Client; sdk: typeof S3Sdk }> | null = null;
  const load = () =>
    (loaded ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        region: options.region ?? 'us-east-1',
        ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
        ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
        // The SDK's default trailing checksums (STREAMING-UNSIGNED-PAYLOAD-TRAILER) are
        // refused by many S3-compatible services; the Content-Length and TLS protect the bytes.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
    })));
  const Bucket = options.bucket;
  const prefix = options.keyPrefix ?? '';
  const objectKey = (key: string) => prefix + checkBlobKey(key);
  const deleteObject = async (Key: string) => {
    const { client, sdk } = await load();
    await client.send(new sdk.DeleteObjectCommand({ Bucket, Key }));
  };

  return {
    async put(key, body, info) {
      const { client, sdk } = await load();
      let seen = 0;
      // S3 stores an object only when the whole declared length arrived; a body that fails,
      // runs short or runs long aborts the request, and nothing is stored.
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          seen += chunk.length;
          if (seen > info.size) done(new BlobSizeMismatchError(info.size, seen));
          else done(null, chunk);
        },
        flush(done) {
          done(seen === info.size ? null : new BlobSizeMismatchError(info.size, seen));
        },
      });
      const abort = new AbortController();
      let failure: unknown = null;
      const fail = (error: unknown) => {
        failure ??= error;
        abort.abort();
      };
      body.once('error', fail);
      counter.once('error', fail);
      body.pipe(counter);
      // Written under a staging key, then copied into place (a copy within the bucket): S3
      // never shows half an object, but some S3-compatible servers keep what arrived of an
      // aborted PUT, and that must never be readable under the blob's key.
      const target = objectKey(key);
      const staging = `${prefix}${STAGING}/${randomBytes(12).toString('hex')}`;
      try {
        await client.send(
          new sdk.PutObjectCommand({
            Bucket,
            Key: staging,
            Body: counter,
            ContentLength: info.size,
            ContentType: info.contentType,
          }),
          { abortSignal: abort.signal },
        );
        if (failure !== null) throw failure;
        await client.send(
          new sdk.CopyObjectCommand({ Bucket, Key: target, CopySource: `${Bucket}/${staging}` }),
        );
      } catch (error) {
        throw failure ?? error;
      } finally {
        body.off('error', fail);
        await deleteObject(staging).catch(() => {});
      }
    },

    async get(key, range) {
      const { client, sdk } = await load();
      try {
        const answer = await client.send(
          new sdk.GetObjectCommand({
            Bucket,
            Key: objectKey(key),
            ...(range === undefined ? {} : { Range: `bytes=${range.start}-${range.end}` }),
          }),
        );
        return answer.Body as Readable;
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return null;
        throw error;
      }
    },

    async delete(keys) {
      // One DeleteObject per key: DeleteObjects needs a Content-MD5 or checksum header that
      // S3-compatible servers disagree about. A missing key is not an error in S3.
      for (let i = 0; i < keys.length; i += DELETE_CONCURRENCY) {
        await Promise.all(
          keys.slice(i, i + DELETE_CONCURRENCY).map((k) => deleteObject(objectKey(k))),
        );
      }
    },

    async close() {
      if (loaded !== null) (await loaded).client.destroy();
    },
  };
}
