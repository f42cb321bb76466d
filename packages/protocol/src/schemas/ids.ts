import { z } from 'zod';
import { exceedsJsonDepth } from '../json-depth.js';
import { DEFAULT_LIMITS } from '../limits.js';

/**
 * `.` and `..` fit the id alphabets but cannot be path segments: URL clients resolve them
 * as steps up the path before a request leaves, so such a user or channel could never be
 * addressed.
 */
const notADotSegment = (id: string) => id !== '.' && id !== '..';
const DOT_SEGMENT = 'ids may not be "." or ".." (URLs resolve them as path steps)';

/** A user id: letters, digits and `@ . _ -`, 1–128 characters, not `.` or `..`. */
export const userIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9@._-]{1,128}$/, 'user ids are 1-128 of A-Z a-z 0-9 @ . _ -')
  .refine(notADotSegment, DOT_SEGMENT);

/** A channel type: lower-case letters, digits, `_` and `-`, 1–32 characters. */
export const channelTypeSchema = z
  .string()
  .regex(/^[a-z0-9_-]{1,32}$/, 'channel types are 1-32 of a-z 0-9 _ -');

/**
 * A channel id chosen by an app: letters, digits and `@ . _ -`, 1–128 characters, not `.`
 * or `..`. Ids starting with `!` are reserved for distinct channels and never accepted
 * from callers.
 */
export const channelIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9@._-]{1,128}$/, 'channel ids are 1-128 of A-Z a-z 0-9 @ . _ -')
  .refine(notADotSegment, DOT_SEGMENT);

/** Any channel id the server may return, including distinct ids (`!members-…`). */
export const anyChannelIdSchema = z
  .string()
  .regex(/^!?[A-Za-z0-9@._-]{1,128}$/)
  .refine(notADotSegment, DOT_SEGMENT);

/** A channel's full id, `type:id`. */
export const cidSchema = z
  .string()
  .regex(/^[a-z0-9_-]{1,32}:!?[A-Za-z0-9@._-]{1,128}$/, 'a cid is "type:id"')
  .refine((cid) => notADotSegment(cid.slice(cid.indexOf(':') + 1)), DOT_SEGMENT);

/** A message id: letters, digits, `_` and `-`, 1–64 characters (a UUID fits). */
export const messageIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'message ids are 1-64 of A-Z a-z 0-9 _ -');

/**
 * Free-form JSON object attached to users, channels and messages, nested at most
 * `maxDataDepth` levels. (Its size in bytes is a server option, checked by the server.)
 */
export const customDataSchema = z
  .record(z.string(), z.unknown())
  .meta({
    description: `Any JSON object, nested at most ${DEFAULT_LIMITS.maxDataDepth} levels; at most maxCustomDataBytes (16 KiB by default) once serialised`,
  })
  .check((ctx) => {
    if (exceedsJsonDepth(ctx.value, DEFAULT_LIMITS.maxDataDepth)) {
      ctx.issues.push({
        code: 'custom',
        message: `data may nest objects and arrays at most ${DEFAULT_LIMITS.maxDataDepth} levels deep`,
        input: ctx.value,
        params: { max_depth: DEFAULT_LIMITS.maxDataDepth },
      });
    }
  });

/** A timestamp on the wire: ISO 8601 in UTC, e.g. `2026-11-25T10:00:00.000Z`. */
export const timestampSchema = z.string();

/** Splits a cid into its type and id. Returns null when it is not a valid cid. */
export function parseCid(cid: string): { type: string; id: string } | null {
  if (!cidSchema.safeParse(cid).success) return null;
  const at = cid.indexOf(':');
  return { type: cid.slice(0, at), id: cid.slice(at + 1) };
}

/** Joins a channel type and id into a cid. */
export function toCid(type: string, id: string): string {
  return `${type}:${id}`;
}
