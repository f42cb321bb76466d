import type { ChatError } from '@parley/protocol/codes';
import type { User } from '@parley/protocol';
import { checkData, checkMentions, checkMessageId, checkText, invalid } from '../arguments.js';
import { newMessageId } from '../message-id.js';
import type { QueuedSend } from '../queue/queue-store.js';
import type { ChannelContext, SendMessageInput } from './channel-context.js';
import { sent, type LocalMessage } from './message-list.js';
import { inChannel } from './message-events.js';
import { pendingMessage, queuedFrom, withQueued } from './pending-message.js';

/** What the sender needs from its channel. */
export interface ChannelSenderOptions {
  ctx: Pick<ChannelContext, 'author' | 'queue'>;
  /** The current user's id; throws before `connectUser` and after the session ended. */
  me(): string;
  /** The channel's cid; undefined for a distinct channel until it is created. */
  cid(): string | undefined;
  /** Gets or creates the channel on the server. */
  create(): Promise<void>;
  /** The pending (or stored) message `id` shown now, in the channel or a thread. */
  find(id: string): LocalMessage | undefined;
  /** Shows a pending message, or replaces the one with its id. */
  showPending(message: LocalMessage): void;
  /** Changes the pending message `id`, if shown. */
  updatePending(id: string, update: (message: LocalMessage) => LocalMessage): void;
  /** The pending messages shown now (channel and threads). */
  shownPending(): readonly LocalMessage[];
  /** A message goes out: the local typing state ends. */
  sending(): void;
  /** The users of `ids` as shown in a pending message's mentions (members known here). */
  users(ids: readonly string[]): User[];
}

/**
 * A channel's own messages on their way out: shown at once as `sending`, sent through the
 * client's queue (so they survive disconnects and reloads), and marked `sent` or `failed`.
 */
export class ChannelSender {
  constructor(private readonly options: ChannelSenderOptions) {}

  /** See `Channel.sendMessage`. */
  send(input: SendMessageInput): Promise<LocalMessage> {
    const { options } = this;
    let item: QueuedSend;
    try {
      const me = options.me();
      if (typeof input !== 'object' || input === null) {
        throw invalid('sendMessage takes { text, data?, id?, parentId?, … }');
      }
      const text = checkText(input.text);
      const data = checkData(input.data);
      const id = input.id === undefined ? newMessageId() : checkMessageId(input.id);
      const cid = options.cid();
      if (cid === undefined) return options.create().then(() => this.send(input));
      item = { cid, id, text, createdAt: Date.now(), userId: me, ...richFields(input) };
      if (data !== undefined) item.data = data;
    } catch (error) {
      return Promise.reject(error);
    }
    options.sending();
    const shown = options.find(item.id);
    if (shown?.status === 'sent') return Promise.resolve(shown);
    const message = pendingMessage(item, options.ctx.author());
    message.mentioned_users = this.options.users(item.mentionedUserIds ?? []);
    options.showPending(message);
    return this.queued(item);
  }

  /** See `Channel.retry`. */
  retry(messageId: string): Promise<LocalMessage> {
    const { options } = this;
    let failed: LocalMessage | undefined;
    try {
      const me = options.me();
      failed = options.find(messageId);
      if (failed?.status !== 'failed' || options.cid() === undefined) {
        throw invalid(`no failed message ${JSON.stringify(messageId)} in this channel`);
      }
      const again: LocalMessage = { ...failed, status: 'sending' };
      delete again.error;
      options.updatePending(messageId, () => again);
      return this.queued(queuedFrom(failed, me));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The server refused a queued message for good. */
  refused(id: string, error: ChatError): void {
    this.options.updatePending(id, (m) =>
      m.status === 'sent' ? m : { ...m, status: 'failed', error },
    );
  }

  /**
   * Pending messages of the channel's own history shown now, plus queued ones (e.g. loaded
   * after a reload) not shown yet.
   */
  pending(): LocalMessage[] {
    const list = this.options.shownPending().filter((m) => m.status !== 'sent' && inChannel(m));
    const cid = this.options.cid();
    const queued = cid === undefined ? [] : this.options.ctx.queue.itemsOf(cid);
    return withQueued(list, queued.filter(inQueuedChannel), this.options.ctx.author());
  }

  private queued(item: QueuedSend): Promise<LocalMessage> {
    return this.options.ctx.queue.enqueue(item).then((message) => {
      const shown = this.options.find(message.id);
      return shown?.status === 'sent' ? shown : sent(message);
    });
  }
}

/** Whether a queued send is part of the channel's history, not a reply kept in its thread. */
const inQueuedChannel = (item: QueuedSend): boolean =>
  item.parentId === undefined || item.showInChannel === true;

/** The thread, quote and mention fields of a send, checked. */
function richFields(input: SendMessageInput): Partial<QueuedSend> {
  const fields: Partial<QueuedSend> = {};
  if (input.parentId !== undefined) fields.parentId = checkMessageId(input.parentId);
  if (input.showInChannel !== undefined) {
    if (typeof input.showInChannel !== 'boolean') throw invalid('showInChannel must be a boolean');
    if (input.showInChannel) {
      if (fields.parentId === undefined) throw invalid('showInChannel needs a parentId');
      fields.showInChannel = true;
    }
  }
  if (input.quotedMessageId !== undefined) {
    fields.quotedMessageId = checkMessageId(input.quotedMessageId);
  }
  if (input.mentionedUsers !== undefined) {
    const ids = checkMentions(input.mentionedUsers);
    if (ids.length > 0) fields.mentionedUserIds = ids;
  }
  return fields;
}
