import {
  anyChannelIdSchema,
  channelTypeSchema,
  getPinnedRequestSchema,
  getReactionsRequestSchema,
  getRepliesRequestSchema,
  messageIdSchema,
  reactionTypeSchema,
  sendMessageRequestSchema,
  sendReactionRequestSchema,
  updateMessageRequestSchema,
  userIdSchema,
  type GetMessagesResponse,
  type GetPinnedResponse,
  type GetReactionsResponse,
  type MessageResponse,
  type SendMessageRequest,
  type SendMessageResponse,
  type SendReactionResponse,
} from '@parley/protocol';
import type {
  SendMessageOptions,
  SendReactionOptions,
  SendSystemMessageOptions,
  UpdateMessageOptions,
} from './server-client-options.js';
import { check, invalid } from './validate.js';

type Query = Record<string, string | number | undefined>;

/**
 * The message half of the server client: sending, and what is done to a message after
 * (its id is app-wide): reading it and its thread, editing, pinning, deleting, reacting.
 */
export abstract class ServerMessageCalls {
  protected abstract call<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    request?: { query?: Query; body?: unknown },
  ): Promise<T>;

  /** Sends a message as `userId`; resolves once it is stored. */
  async sendMessage(
    type: string,
    id: string,
    message: SendMessageOptions,
  ): Promise<SendMessageResponse> {
    return this.send(type, id, message, 'regular');
  }

  /** Sends a `system` message: from the app, optionally attributed to a member. */
  async sendSystemMessage(
    type: string,
    id: string,
    message: SendSystemMessageOptions,
  ): Promise<SendMessageResponse> {
    return this.send(type, id, message, 'system');
  }

  /** One message. */
  async getMessage(messageId: string): Promise<MessageResponse> {
    return this.call('GET', messagePath(messageId));
  }

  /** Edits, pins or unpins a message; the same change again is a no-op. */
  async updateMessage(messageId: string, change: UpdateMessageOptions): Promise<MessageResponse> {
    const body = check(updateMessageRequestSchema, {
      text: change.text,
      data: change.data,
      mentioned_users: change.mentionedUsers,
      pinned: change.pinned,
      user_id: change.userId,
    });
    return this.call('PATCH', messagePath(messageId), { body });
  }

  /** Deletes a message: a tombstone, or gone for good with `hard`. */
  async deleteMessage(
    messageId: string,
    options: { hard?: boolean } = {},
  ): Promise<MessageResponse> {
    return this.call('DELETE', messagePath(messageId), {
      query: { hard: options.hard === true ? 'true' : undefined },
    });
  }

  /** Adds `userId`'s reaction; `duplicate` when they had it already. */
  async sendReaction(
    messageId: string,
    reaction: SendReactionOptions,
  ): Promise<SendReactionResponse> {
    const body = check(sendReactionRequestSchema, {
      type: reaction.type,
      score: reaction.score,
      enforce_unique: reaction.enforceUnique,
      user_id: reaction.userId,
    });
    return this.call('POST', `${messagePath(messageId)}/reactions`, { body });
  }

  /** Takes `userId`'s reaction of `type` back (nothing when there is none). */
  async deleteReaction(messageId: string, type: string, userId: string): Promise<MessageResponse> {
    check(reactionTypeSchema, type, 'type');
    check(userIdSchema, userId, 'userId');
    const path = `${messagePath(messageId)}/reactions/${encodeURIComponent(type)}`;
    return this.call('DELETE', path, { query: { user_id: userId } });
  }

  /** Who reacted, newest first; pass `next_cursor` for more. */
  async getReactions(
    messageId: string,
    options: { type?: string; limit?: number; cursor?: string } = {},
  ): Promise<GetReactionsResponse> {
    check(getReactionsRequestSchema, options);
    return this.call('GET', `${messagePath(messageId)}/reactions`, { query: options });
  }

  /** A page of a message's thread, oldest first. */
  async getReplies(
    messageId: string,
    options: { limit?: number; before?: string; after?: string } = {},
  ): Promise<GetMessagesResponse> {
    check(getRepliesRequestSchema, options);
    return this.call('GET', `${messagePath(messageId)}/replies`, { query: options });
  }

  /** A channel's pinned messages, newest pin first. */
  async getPinned(
    type: string,
    id: string,
    options: { limit?: number } = {},
  ): Promise<GetPinnedResponse> {
    checkChannel(type, id);
    check(getPinnedRequestSchema, options);
    return this.call('GET', `${channelPath(type, id)}/pinned`, { query: options });
  }

  private async send(
    type: string,
    id: string,
    message: SendMessageOptions | SendSystemMessageOptions,
    kind: 'regular' | 'system',
  ): Promise<SendMessageResponse> {
    checkChannel(type, id);
    if (message === null || typeof message !== 'object') throw invalid('message', 'required');
    // A server call must name the author of a regular message; only system ones may omit it.
    if (kind === 'regular') check(userIdSchema, message.userId, 'userId');
    const { createdAt } = message;
    if (createdAt instanceof Date && Number.isNaN(createdAt.getTime())) {
      throw invalid('createdAt', 'is an invalid Date');
    }
    const rich = message as Partial<SendMessageOptions>;
    const body: SendMessageRequest = check(sendMessageRequestSchema, {
      id: message.id,
      text: message.text,
      type: kind,
      user_id: message.userId,
      data: message.data,
      created_at: createdAt instanceof Date ? createdAt.toISOString() : createdAt,
      parent_id: rich.parentId,
      show_in_channel: rich.showInChannel,
      quoted_message_id: rich.quotedMessageId,
      mentioned_users: rich.mentionedUsers,
    });
    // The schema accepts any string; the server refuses blank text, so refuse it here too.
    if (body.text.trim() === '') throw invalid('text', 'must not be empty');
    return this.call('POST', `${channelPath(type, id)}/messages`, { body });
  }
}

/** Channel ids of distinct channels start with `!`; encoding keeps any id a single segment. */
export function channelPath(type: string, id: string): string {
  return `/channels/${encodeURIComponent(type)}/${encodeURIComponent(id)}`;
}

/** An existing channel: any type, and any id including distinct ones (`!members-…`). */
export function checkChannel(type: string, id: string): void {
  check(channelTypeSchema, type, 'type');
  check(anyChannelIdSchema, id, 'id');
}

function messagePath(messageId: string): string {
  check(messageIdSchema, messageId, 'messageId');
  return `/messages/${encodeURIComponent(messageId)}`;
}
