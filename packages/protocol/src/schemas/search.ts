import { z } from 'zod';
import { PAGE } from '../limits.js';
import { channelSchema } from './channel.js';
import { cidSchema, userIdSchema } from './ids.js';
import { messageSchema } from './message.js';

/**
 * Query string of `GET /search`. `q`: words and "quoted phrases" that must all appear (as
 * parts of words too), `-word` or `-"phrase"` that must not; case, accents and white space
 * do not matter.
 */
export const searchRequestSchema = z.strictObject({
  q: z.string().min(1).max(200),
  /** Only this channel. */
  cid: cidSchema.optional(),
  /** Only messages by this author. */
  user_id: userIdSchema.optional(),
  /** Server calls: search as this user (their channels); absent, every channel. */
  as_user_id: userIdSchema.optional(),
  /** Only messages sent before / after this time (ISO 8601). */
  before: z.iso.datetime({ offset: true }).optional(),
  after: z.iso.datetime({ offset: true }).optional(),
  /** `true`: only messages with attachments; `false`: only messages without. */
  has_attachments: z.enum(['true', 'false']).optional(),
  /** `relevance` (default): best matches first among the newest 500; `newest`: by time. */
  sort: z.enum(['relevance', 'newest']).default('relevance'),
  limit: z.coerce.number().int().min(1).max(PAGE.searchMax).default(PAGE.searchDefault),
  /** `next_cursor` of the previous page (with the same q, filters and sort). */
  cursor: z.string().max(400).optional(),
});
export type SearchRequest = z.input<typeof searchRequestSchema>;

/** A matched range of a message's text: UTF-16 offsets, `end` exclusive. Never HTML. */
export const searchHighlightSchema = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type SearchHighlight = z.infer<typeof searchHighlightSchema>;

export const searchResultSchema = z.object({
  message: messageSchema,
  channel: channelSchema,
  highlights: z.array(searchHighlightSchema),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

export const searchResponseSchema = z.object({
  results: z.array(searchResultSchema),
  next_cursor: z.string().nullable(),
});
export type SearchResponse = z.infer<typeof searchResponseSchema>;
