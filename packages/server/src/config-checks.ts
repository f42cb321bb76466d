import { availableParallelism } from 'node:os';
import type { S3Options, ServerOptions } from './config.js';

// Checks and defaults of resolveConfig's options, which throw on a value the server cannot use.

/** See ServerOptions.searchConcurrency (Infinity: no limit). */
export function searchConcurrencyOf(options: ServerOptions): number {
  if (options.searchConcurrency !== undefined)
    return Math.max(1, Math.floor(options.searchConcurrency));
  return options.databaseUrl ? 2 * availableParallelism() : Infinity;
}

export function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export function checkSmtpUrl(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  if (!/^smtps?:\/\/[^/]/i.test(url)) {
    throw new Error('the SMTP URL must be smtp://… or smtps://…');
  }
  return url;
}

export function checkNodeId(id: string): string {
  // It goes into a response header and a metrics label.
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(id)) {
    throw new Error(`the node id must be 1–64 of A-Z a-z 0-9 . _ : -, got "${id.slice(0, 80)}"`);
  }
  return id;
}

export function checkS3(s3: S3Options | undefined): S3Options | undefined {
  if (s3 === undefined || s3.bucket === '') return undefined;
  if (s3.endpoint !== undefined && !/^https?:\/\/[^/]/i.test(s3.endpoint)) {
    throw new Error(`the S3 endpoint must be an http:// or https:// URL, got "${s3.endpoint}"`);
  }
  return s3;
}

export function checkRedisUrl(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  if (!/^rediss?:\/\/[^/]/i.test(url)) {
    throw new Error(
      `unsupported redisUrl ${url.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@')}: use redis://host:6379 or rediss://… (TLS)`,
    );
  }
  return url;
}
