import type { Readable } from 'node:stream';
import { ChatError, type FileQuery } from '@parley/protocol';
import type { BlobStore, ByteRange } from '../blobs/blob-store.js';
import type { Storage } from '../storage/storage.js';
import { contentDisposition } from './file-name.js';
import { acceptsRanges, isInline } from './file-types.js';
import type { FileUrls } from './file-urls.js';
import { THUMB_MIME } from './image-processing.js';

/** What `GET /files/:id` sends. */
export interface Download {
  status: 200 | 206;
  headers: Record<string, string>;
  body: Readable;
}

/**
 * Opens a file for a signed URL. Every answer is safe to open in a browser tab: the type
 * is the sniffed one and may not be second-guessed (`nosniff`), only re-encoded raster
 * images are inline, and the sandbox CSP keeps any document from running script or
 * reaching the server's origin.
 */
export async function openDownload(
  deps: { storage: Storage; blobs: BlobStore; urls: FileUrls },
  id: string,
  query: FileQuery,
  rangeHeader: string | undefined,
): Promise<Download> {
  const variant = query.variant ?? 'original';
  const check = deps.urls.verify(id, variant, query.exp, query.sig);
  if (check !== 'ok') {
    throw new ChatError(
      'invalid_signature',
      check === 'expired' ? 'the link has expired; get a fresh one' : 'the link is not valid',
      { expired: check === 'expired' },
    );
  }
  const upload = await deps.storage.getUpload(id);
  const thumb = variant === 'thumb';
  if (upload === null || (thumb && upload.thumbKey === null)) {
    throw new ChatError('file_not_found', `file ${id} does not exist`);
  }
  const key = thumb ? upload.thumbKey! : upload.blobKey;
  const size = thumb ? upload.thumbSize! : upload.size;
  const mime = thumb ? THUMB_MIME : upload.mime;
  const ranged = acceptsRanges(mime);
  const range = ranged ? parseRange(rangeHeader, size) : undefined;
  const body = await deps.blobs.get(key, range);
  if (body === null) throw new ChatError('file_not_found', `file ${id} does not exist`);
  const headers: Record<string, string> = {
    'content-type': mime === 'text/plain' ? 'text/plain; charset=utf-8' : mime,
    'content-length': String(range === undefined ? size : range.end - range.start + 1),
    'content-disposition': contentDisposition(
      isInline(mime) ? 'inline' : 'attachment',
      thumb ? `thumb-${upload.name.replace(/\.[^.]*$/, '')}.webp` : upload.name,
    ),
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    // The URL names one immutable file until it expires; only the browser keeps it.
    'cache-control': `private, max-age=${deps.urls.secondsLeft(query.exp)}, immutable`,
    'accept-ranges': ranged ? 'bytes' : 'none',
  };
  if (range === undefined) return { status: 200, headers, body };
  headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
  return { status: 206, headers, body };
}

/**
 * One `bytes=` range (`a-b`, `a-`, `-n`). Anything else — several ranges, other units, a
 * malformed header — is ignored and the whole file sent, as RFC 9110 allows; a range
 * wholly past the end is `416`.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (match === null || (match[1] === '' && match[2] === '')) return undefined;
  const [, first = '', last = ''] = match;
  let start: number;
  let end: number;
  if (first === '') {
    start = Math.max(0, size - Number(last));
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
    if (last !== '' && Number(last) < start) return undefined;
  }
  if (start >= size || end < start) {
    throw new ChatError('range_not_satisfiable', `the file has ${size} bytes`, { size });
  }
  return { start, end };
}
