import { ChatError } from '@parley/protocol/codes';
import type { Message } from '@parley/protocol';
import {
  checkData,
  checkMentions,
  checkMessageId,
  checkReactionType,
  checkText,
  invalid,
} from '../arguments.js';
import { newMessageId } from '../message-id.js';
import {
  isAction,
  type ActionFrame,
  type QueuedAction,
  type QueuedItem,
  type QueuedSend,
} from '../queue/queue-store.js';
import type { ChannelContext, UpdateMessageInput } from './channel-context.js';
import type { LocalMessage } from './message-list.js';
import type { MessageOp } from './message-ops.js';
import { PendingOps } from './pending-ops.js';

/** What the actions need from their channel. */
export interface MessageActionsOptions {
  ctx: Pick<ChannelContext, 'queue' | 'author'>;
  /** The current user's id; throws before `connectUser` and after the session ended. */
  me(): string;
  cid(): string | undefined;
  /** The message `id` as shown now, in the channel or an open thread. */
  find(id: string): LocalMessage | undefined;
  /** Shows `message` in place of the one with its id (null: removes it). */
  show(id: string, message: LocalMessage | null): void;
  /** True while the channel's events arrive (then they, not answers, confirm changes). */
  live(): boolean;
}

/**
 * Edits, deletes, pins and reactions: shown at once, sent through the client's queue (so
 * they wait out a lost link and survive reloads like sends), confirmed by the server's
 * events, and rolled back with the server's error when refused.
 */
export class MessageActions {
  readonly ops = new PendingOps();

  constructor(private readonly options: MessageActionsOptions) {}

  /** See `Channel.updateMessage`. */
  async update(messageId: string, input: UpdateMessageInput): Promise<Message> {
    this.options.me();
    const id = checkMessageId(messageId);
    if (typeof input !== 'object' || input === null) {
      throw invalid('updateMessage takes { text?, data?, mentionedUsers? }');
    }
    const text = input.text === undefined ? undefined : checkText(input.text);
    const data = checkData(input.data);
    const mentioned =
      input.mentionedUsers === undefined ? undefined : checkMentions(input.mentionedUsers);
    if (text === undefined && data === undefined) throw invalid('give text, data or both');
    const frame: ActionFrame = { type: 'message.update', message_id: id };
    if (text !== undefined) frame.text = text;
    if (data !== undefined) frame.data = data;
    if (mentioned !== undefined) frame.mentioned_users = mentioned;
    const shown = this.options.find(id);
    if (shown !== undefined && shown.seq === 0) return this.editUnsent(shown, frame);
    return this.run(frame, { kind: 'edit', text, data, at: now() }, (queued) =>
      // Edits of one message that have not gone out yet go as one: the last text wins.
      queued.frame.type === 'message.update' && queued.frame.pinned === undefined
        ? { ...queued, frame: { ...queued.frame, ...frame } }
        : null,
    );
  }

  /** See `Channel.deleteMessage`. */
  async delete(messageId: string, hard: boolean): Promise<void> {
    const me = this.options.me();
    const id = checkMessageId(messageId);
    const shown = this.options.find(id);
    if (shown !== undefined && shown.seq === 0) {
      // Not stored: it goes away here, and stays unsent if it had not gone out yet.
      if (shown.status === 'sending' && !this.unqueue(id, me)) {
        throw invalid(`message ${id} is being sent: delete it once it is`);
      }
      this.options.show(id, null);
      return;
    }
    const frame: ActionFrame = { type: 'message.delete', message_id: id };
    if (hard) frame.hard = true;
    await this.run(frame, { kind: 'delete', at: now() });
  }

  /** See `Channel.pinMessage`. */
  async pin(messageId: string, pinned: boolean): Promise<Message> {
    const me = this.options.me();
    const id = checkMessageId(messageId);
    const frame: ActionFrame = { type: 'message.update', message_id: id, pinned };
    return this.run(frame, { kind: 'pin', pinned, at: now(), by: me });
  }

  /** See `Channel.sendReaction`. */
  async react(messageId: string, type: string, enforceUnique: boolean): Promise<void> {
    const me = this.options.me();
    const id = checkMessageId(messageId);
    checkReactionType(type);
    const at = now();
    const reaction = {
      message_id: id,
      user_id: me,
      user: this.options.ctx.author(),
      type,
      score: 1,
      created_at: at,
      updated_at: at,
    };
    const frame: ActionFrame = { type: 'reaction.send', message_id: id, reaction: { type } };
    if (enforceUnique) frame.reaction.enforce_unique = true;
    await this.run(frame, { kind: 'react', reaction, enforceUnique });
  }

  /** See `Channel.deleteReaction`. */
  async unreact(messageId: string, type: string): Promise<void> {
    const me = this.options.me();
    const id = checkMessageId(messageId);
    checkReactionType(type);
    const frame: ActionFrame = { type: 'reaction.delete', message_id: id, reaction_type: type };
    await this.run(frame, { kind: 'unreact', type, userId: me });
  }

  /** The server acknowledged a queued action of this channel. */
  acked(item: QueuedAction, message: Message): void {
    const shown = this.ops.acked(item.id, message, this.options.live());
    if (shown !== undefined) this.options.show(message.id, shown);
    else if (!this.options.live() && this.options.find(message.id) !== undefined) {
      // Nothing pending to keep: the answer is the newest state there is.
      this.options.show(message.id, { ...message, status: 'sent' });
    }
  }

  /** The server refused a queued action for good: its change is rolled back. */
  refused(item: QueuedAction): void {
    for (const shown of this.ops.refused(item.id)) this.options.show(shown.id, shown);
  }

  /** Shows `op` and queues `frame` (or, with `merge`, folds it into a waiting item). */
  private run(
    frame: ActionFrame,
    op: MessageOp,
    merge?: (queued: QueuedAction) => QueuedAction | null,
  ): Promise<Message> {
    const me = this.options.me();
    const cid = this.options.cid();
    if (cid === undefined) throw invalid('create or watch the channel first');
    const id = frame.message_id;
    const shown = this.options.find(id);
    if (shown !== undefined && shown.seq === 0) {
      throw invalid(`message ${id} is not stored yet: wait until it is sent`);
    }
    const { queue } = this.options.ctx;
    let item: QueuedAction | undefined;
    if (merge !== undefined) {
      const waiting = queue.waiting(
        (i): i is QueuedAction => isAction(i) && i.userId === me && i.frame.message_id === id,
      );
      const merged = waiting === undefined ? null : merge(waiting);
      if (merged !== null && queue.amend(merged.id, () => merged)) item = merged;
    }
    item ??= { kind: 'action', id: newMessageId(), cid, frame, createdAt: Date.now(), userId: me };
    if (shown !== undefined) this.options.show(id, this.ops.add(shown, op, item.id));
    return queue.enqueue(item);
  }

  /** An edit of a message still in the queue: the queued text changes. */
  private editUnsent(shown: LocalMessage, frame: ActionFrame & { type: 'message.update' }) {
    const me = this.options.me();
    const amended = this.options.ctx.queue.amend(shown.id, (item) =>
      isAction(item) || item.userId !== me
        ? item
        : {
            ...item,
            ...(frame.text === undefined ? {} : { text: frame.text }),
            ...(frame.data === undefined ? {} : { data: frame.data }),
          },
    );
    if (!amended || shown.status !== 'sending') {
      throw invalid(`message ${shown.id} is being sent or was not sent: edit it once it is`);
    }
    this.options.show(shown.id, {
      ...shown,
      ...(frame.text === undefined ? {} : { text: frame.text }),
      ...(frame.data === undefined ? {} : { data: frame.data }),
    });
    const item = this.options.ctx.queue.waiting(
      (i): i is QueuedSend => !isAction(i) && i.id === shown.id,
    );
    return this.options.ctx.queue.enqueue(item as QueuedItem);
  }

  /** Takes an unsent message out of the queue; false when it already went out. */
  private unqueue(id: string, me: string): boolean {
    const removed = new ChatError(
      'message_deleted',
      `message ${id} was deleted before it was sent`,
    );
    return this.options.ctx.queue.amend(
      id,
      (item) => (isAction(item) || item.userId !== me ? item : null),
      removed,
    );
  }
}

const now = () => new Date().toISOString();
