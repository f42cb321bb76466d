import type { ChatError } from '@parley/protocol/codes';
import { checkData, checkMessageId, checkText, invalid } from '../arguments.js';
import { newMessageId } from '../message-id.js';
import { queuedFiles } from '../uploads/queued-file.js';
import type { QueuedSend } from '../queue/queue-store.js';
import type { ChannelContext, SendMessageInput } from './channel-context.js';
import { sent, type LocalMessage } from './message-list.js';
import type { MessageWindow } from './message-window.js';
import { pendingMessage, queuedFrom, withQueued } from './pending-message.js';

/** What the sender needs from its channel. */
export interface ChannelSenderOptions {
  ctx: Pick<ChannelContext, 'author' | 'queue' | 'uploads'>;
  /** The current user's id; throws before `connectUser` and after the session ended. */
  me(): string;
  /** The channel's cid; undefined for a distinct channel until it is created. */
  cid(): string | undefined;
  /** Gets or creates the channel on the server. */
  create(): Promise<void>;
  /** The messages shown now. */
  window(): MessageWindow;
  /** Shows `window` instead. */
  show(window: MessageWindow): void;
  /** A message goes out: the local typing state ends. */
  sending(): void;
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
        throw invalid('sendMessage takes { text, data?, id?, attachments? }');
      }
      const files = input.attachments === undefined ? [] : queuedFiles(input.attachments);
      const text = files.length > 0 && !input.text ? '' : checkText(input.text);
      const data = checkData(input.data);
      const id = input.id === undefined ? newMessageId() : checkMessageId(input.id);
      const cid = options.cid();
      if (cid === undefined) return options.create().then(() => this.send(input));
      item = { cid, id, text, createdAt: Date.now(), userId: me };
      if (data !== undefined) item.data = data;
      if (files.length > 0) item.attachments = files;
    } catch (error) {
      return Promise.reject(error);
    }
    options.sending();
    const shown = options.window().find(item.id);
    if (shown?.status === 'sent') return Promise.resolve(shown);
    options.show(options.window().withPendingMessage(pendingMessage(item, options.ctx.author())));
    const done = this.queued(item);
    if (item.attachments !== undefined) {
      options.ctx.uploads.watch(item, input.onUploadProgress, input.signal);
    }
    return done;
  }

  /** See `Channel.retry`. */
  retry(messageId: string): Promise<LocalMessage> {
    const { options } = this;
    let failed: LocalMessage | undefined;
    try {
      const me = options.me();
      failed = options.window().pending.find((m) => m.id === messageId && m.status === 'failed');
      if (failed === undefined || options.cid() === undefined) {
        throw invalid(`no failed message ${JSON.stringify(messageId)} in this channel`);
      }
      const again: LocalMessage = { ...failed, status: 'sending' };
      delete again.error;
      options.show(options.window().updatePending(messageId, () => again));
      return this.queued(queuedFrom(failed, me));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** The server refused a queued message for good. */
  refused(id: string, error: ChatError): void {
    const { window } = this.options;
    this.options.show(
      window().updatePending(id, (m) =>
        m.status === 'sent' ? m : { ...m, status: 'failed', error },
      ),
    );
  }

  /** Pending messages shown now, plus queued ones (e.g. loaded after a reload) not shown yet. */
  pending(): LocalMessage[] {
    const list = this.options.window().pending.filter((m) => m.status !== 'sent');
    const cid = this.options.cid();
    const queued = cid === undefined ? [] : this.options.ctx.queue.itemsOf(cid);
    return withQueued(list, queued, this.options.ctx.author());
  }

  private queued(item: QueuedSend): Promise<LocalMessage> {
    return this.options.ctx.queue.enqueue(item).then((message) => {
      const shown = this.options.window().find(message.id);
      return shown?.status === 'sent' ? shown : sent(message);
    });
  }
}
