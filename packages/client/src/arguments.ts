import { ChatError, DEFAULT_LIMITS } from '@parley/protocol/codes';

// The same rules as the protocol's id schemas, repeated here because those are zod
// schemas and the client must not load zod at runtime (bundle size).
const CHANNEL_TYPE = /^[a-z0-9_-]{1,32}$/;
const CHANNEL_ID = /^!?[A-Za-z0-9@._-]{1,128}$/;
const USER_ID = /^[A-Za-z0-9@._-]{1,128}$/;
const MESSAGE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A ChatError for a wrong argument, thrown before anything is sent. */
export function invalid(message: string): ChatError {
  return new ChatError('invalid_request', message);
}

function matching(value: unknown, pattern: RegExp, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw invalid(`${what} ${JSON.stringify(value)} is not valid`);
  }
  return value;
}

export const checkChannelType = (type: unknown): string =>
  matching(type, CHANNEL_TYPE, 'channel type');
export const checkChannelId = (id: unknown): string => matching(id, CHANNEL_ID, 'channel id');
export const checkUserId = (id: unknown): string => matching(id, USER_ID, 'user id');
export const checkMessageId = (id: unknown): string => matching(id, MESSAGE_ID, 'message id');

/** A member list: 1–100 user ids. */
export function checkMembers(members: unknown): string[] {
  if (
    !Array.isArray(members) ||
    members.length === 0 ||
    members.length > DEFAULT_LIMITS.maxMembersPerRequest
  ) {
    throw invalid(`members must list 1-${DEFAULT_LIMITS.maxMembersPerRequest} user ids`);
  }
  return members.map(checkUserId);
}

/** Message text: not blank, at most `maxMessageLength` code points. */
export function checkText(text: unknown): string {
  if (typeof text !== 'string' || text.trim() === '') {
    throw invalid('text must be a non-empty string');
  }
  const max = DEFAULT_LIMITS.maxMessageLength;
  // Code points never outnumber UTF-16 units, so most texts skip the count.
  if (text.length > max && [...text].length > max) {
    throw new ChatError('message_too_long', `text is longer than ${max} characters`, {
      max_length: max,
    });
  }
  return text;
}

/** Custom data: a plain JSON object of at most `maxCustomDataBytes` bytes. */
export function checkData(data: unknown): Record<string, unknown> | undefined {
  if (data === undefined) return undefined;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalid('data must be an object');
  }
  const max = DEFAULT_LIMITS.maxCustomDataBytes;
  const bytes = new TextEncoder().encode(JSON.stringify(data)).length;
  if (bytes > max) {
    throw new ChatError('custom_data_too_large', `data is ${bytes} bytes; the limit is ${max}`, {
      max_bytes: max,
    });
  }
  return data as Record<string, unknown>;
}

/** An optional integer option within bounds. */
export function checkInteger(value: unknown, what: string, min: number, max: number) {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${what} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** A reaction type: 1–64 characters without white space. */
export function checkReactionType(type: unknown): string {
  if (
    typeof type !== 'string' ||
    type.length === 0 ||
    type.length > DEFAULT_LIMITS.maxReactionTypeLength ||
    /\s/u.test(type)
  ) {
    throw invalid(
      `reaction type ${JSON.stringify(type)} must be 1-${DEFAULT_LIMITS.maxReactionTypeLength} characters without white space`,
    );
  }
  return type;
}

/** A list of user ids mentioned in a message: at most `maxMentions`, each once. */
export function checkMentions(ids: unknown): string[] {
  if (!Array.isArray(ids)) throw invalid('mentionedUsers must be a list of user ids');
  if (ids.length > DEFAULT_LIMITS.maxMentions) {
    throw invalid(`mentionedUsers lists at most ${DEFAULT_LIMITS.maxMentions} users`);
  }
  return [...new Set(ids.map(checkUserId))];
}
