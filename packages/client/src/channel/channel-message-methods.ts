import { PAGE } from '@parley/protocol/codes';
import type { Message } from '@parley/protocol';
import { checkMessageId } from '../arguments.js';
import type { SendMessageInput, UpdateMessageInput } from './channel-context.js';
import type { ChannelMessages } from './channel-messages.js';
import type { LocalMessage } from './message-list.js';
import type { Thread } from './thread.js';

/**
 * What a user does with a channel's messages: send, page through history, edit, delete,
 * pin, react, open threads. `Channel` has these methods; they work on its messages.
 */
export abstract class ChannelMessageMethods {
  protected abstract readonly messages: ChannelMessages;

  /** The current user's id; throws before `connectUser` and after the session ended. */
  protected abstract me(): string;

  /**
   * Sends a message: shown at once as `sending`, queued (it survives disconnects), and
   * resolved once the server stored it. A permanent refusal marks it `failed` and rejects.
   */
  sendMessage(input: SendMessageInput): Promise<LocalMessage> {
    return this.messages.sender.send(input);
  }

  /**
   * Edits a message's text or data (the author's own): shown at once, queued while offline
   * (edits of one message not sent yet go as one), and rolled back with the server's error
   * when refused. Resolves with the message as the server has it.
   */
  updateMessage(messageId: string, input: UpdateMessageInput): Promise<Message> {
    return this.messages.actions.update(messageId, input);
  }

  /** Deletes a message: a tombstone at once (`hard`, for admins: gone), rolled back when refused. */
  deleteMessage(messageId: string, options: { hard?: boolean } = {}): Promise<void> {
    return this.messages.actions.delete(messageId, options?.hard === true);
  }

  /** Pins a message (owners, moderators, admins); shown at once, rolled back when refused. */
  pinMessage(messageId: string): Promise<Message> {
    return this.messages.actions.pin(messageId, true);
  }

  /** Unpins a message. */
  unpinMessage(messageId: string): Promise<Message> {
    return this.messages.actions.pin(messageId, false);
  }

  /**
   * Adds the user's reaction of `type` (with `enforceUnique`, in place of their others):
   * counts and `own_reactions` change at once; queued while offline; rolled back when refused.
   */
  sendReaction(
    messageId: string,
    type: string,
    options: { enforceUnique?: boolean } = {},
  ): Promise<void> {
    return this.messages.actions.react(messageId, type, options?.enforceUnique === true);
  }

  /** Takes the user's reaction of `type` back. */
  deleteReaction(messageId: string, type: string): Promise<void> {
    return this.messages.actions.unreact(messageId, type);
  }

  /** The channel's pinned messages, newest pin first (`limit` 1–100, default 25). */
  getPinned(limit?: number): Promise<Message[]> {
    return this.messages.history.pinned(limit);
  }

  /** The thread of `parentId`: call `load()`, then it follows new replies until `dispose()`. */
  thread(parentId: string): Thread {
    this.me();
    return this.messages.threads.thread(checkMessageId(parentId));
  }

  /** Sends a `failed` message again, with the same id. */
  retry(messageId: string): Promise<LocalMessage> {
    return this.messages.sender.retry(messageId);
  }

  /**
   * Loads up to `limit` messages before the oldest loaded one. Past `maxMessages` the
   * newest are dropped (`hasMoreNewer`): new messages wait until those are loaded again.
   */
  loadOlder(limit: number = PAGE.messagesDefault): Promise<LocalMessage[]> {
    return this.messages.history.older(limit);
  }

  /** Loads up to `limit` messages after the newest loaded one; past `maxMessages` the oldest go. */
  loadNewer(limit: number = PAGE.messagesDefault): Promise<LocalMessage[]> {
    return this.messages.history.newer(limit);
  }

  /** Replaces the loaded messages with the latest `limit` ("jump to the latest"). */
  loadLatest(limit: number = PAGE.messagesDefault): Promise<LocalMessage[]> {
    return this.messages.history.latest(limit);
  }

  /**
   * Replaces the loaded messages with the page around `messageId` ("jump to a message", a
   * search result); nothing is fetched when it is loaded already. New messages wait while
   * `hasMoreNewer` (see `loadNewer`, `loadLatest`).
   */
  loadAround(messageId: string, limit: number = PAGE.messagesDefault): Promise<LocalMessage[]> {
    return this.messages.history.around(checkMessageId(messageId), limit);
  }
}
