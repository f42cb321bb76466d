import { z } from 'zod';
import { cidSchema, userIdSchema } from './ids.js';

/** An upload's id: what `POST /uploads` answers and `GET /files/:id` names (a UUID fits). */
export const uploadIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'upload ids are 1-64 of A-Z a-z 0-9 _ -');

/** How a client shows an attachment: `image` inline, `video` and `audio` in a player, `file` as a download. */
export const attachmentTypeSchema = z.enum(['image', 'video', 'audio', 'file']);
export type AttachmentType = z.infer<typeof attachmentTypeSchema>;

/**
 * A stored upload, as `POST /uploads` answers it. `url` and `thumb_url` are signed and
 * expire (`exp` in their query); fetch them again through the API for fresh ones.
 */
export const attachmentSchema = z
  .object({
    id: uploadIdSchema,
    type: attachmentTypeSchema,
    /** The type the server sniffed from the bytes, never the one the client claimed. */
    mime: z.string(),
    /** Bytes as stored (images are re-encoded without their metadata). */
    size: z.number().int().nonnegative(),
    /** The file name as given, without control, bidi and path characters. */
    name: z.string(),
    width: z.number().int().positive().optional(),
    height: z.number().int().positive().optional(),
    /** A signed URL of a thumbnail (images only), at most 320 × 320, WebP. */
    thumb_url: z.string().optional(),
    /** A signed URL of the file. */
    url: z.string(),
  })
  .meta({ id: 'Attachment' });
export type Attachment = z.infer<typeof attachmentSchema>;

/**
 * The form fields of `POST /uploads` (multipart/form-data). `cid` (and `user_id`) must come
 * before `file`: the server checks them before it reads the file.
 */
export const uploadRequestSchema = z.strictObject({
  /** The channel the file is for; the uploader must be allowed to send there. */
  cid: cidSchema,
  /** Server-side calls only: the user who uploads. */
  user_id: userIdSchema.optional(),
  /** The file; its part's file name becomes the attachment's `name`. */
  file: z.file(),
});
export type UploadRequest = z.infer<typeof uploadRequestSchema>;

/** Path of `GET /files/:id`. */
export const fileParamsSchema = z.strictObject({ id: uploadIdSchema });

/** Query of `GET /files/:id`: what the server signed. Clients take the whole URL as it is. */
export const fileQuerySchema = z.strictObject({
  /** `thumb` for the thumbnail of an image. */
  variant: z.enum(['thumb']).optional(),
  /** Expiry, seconds since the epoch. */
  exp: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  /** HMAC-SHA256 of id, variant and exp, base64url. */
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'sig is 43 characters of base64url'),
});
export type FileQuery = z.infer<typeof fileQuerySchema>;
