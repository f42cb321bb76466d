import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ChatError } from '@parley/protocol';

/**
 * Streams an upload into a new local file, counting bytes; past `maxBytes` it stops with
 * `file_too_large` (the caller removes the file). Memory holds a chunk at a time, whatever
 * the size. A client that breaks off mid-file gets `invalid_request`; a failure to write
 * is thrown as it is.
 */
export async function spool(source: Readable, file: string, maxBytes: number): Promise<number> {
  let size = 0;
  let sourceError: unknown;
  source.once('error', (error) => (sourceError = error));
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) done(tooLarge(maxBytes));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(source, counter, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (error) {
    if (error instanceof ChatError) throw error;
    if (sourceError === undefined) throw error;
    if ((sourceError as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw tooLarge(maxBytes);
    }
    throw new ChatError('invalid_request', 'the upload ended before the file was complete');
  }
  // @fastify/multipart stops a file at its own limit and marks it rather than failing.
  if ((source as { truncated?: boolean }).truncated === true) throw tooLarge(maxBytes);
  return size;
}

function tooLarge(maxBytes: number): ChatError {
  return new ChatError('file_too_large', `the file is larger than ${maxBytes} bytes`, {
    max_bytes: maxBytes,
  });
}
