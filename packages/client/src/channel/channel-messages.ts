import type { ChannelEvent, Message } from '@parley/protocol';
import type { QueuedAction } from '../queue/queue-store.js';
import { placeholderUser } from '../placeholder-user.js';
import { MessageActions } from './channel-actions.js';
import type { ChannelContext } from './channel-context.js';
import { ChannelHistory } from './channel-history.js';
import { withAck } from './channel-pages.js';
import { ChannelSender } from './channel-sender.js';
import type { ChannelModel } from './channel-state.js';
import { ChannelThreads } from './channel-threads.js';
import { inChannel, messageChanges } from './message-events.js';
import type { LocalMessage } from './message-list.js';

/** What a channel's messages need from the channel. */
export interface ChannelMessagesHost {
  ctx: ChannelContext;
  /** The current user's id; throws before `connectUser` and after the session ended. */
  me(): string;
  cid(): string | undefined;
  /** Gets or creates the channel on the server. */
  create(): Promise<void>;
  /** The channel's REST path plus `suffix`; undefined until the channel id is known. */
  path(suffix: string): string | undefined;
  model(): ChannelModel;
  change(next: ChannelModel): void;
  /** Watches the channel unless it is watched already. */
  follow(): Promise<void>;
  /** A message goes out: the local typing state ends. */
  sending(): void;
}

/**
 * The messages of a channel and what the user does with them: sends (`sender`), history
 * pages (`history`), edits, deletes, pins and reactions (`actions`) and threads
 * (`threads`), with one place that finds a message wherever it is shown and shows a
 * changed one everywhere.
 */
export class ChannelMessages {
  readonly sender: ChannelSender;
  readonly history: ChannelHistory;
  readonly actions: MessageActions;
  readonly threads: ChannelThreads;

  constructor(private readonly host: ChannelMessagesHost) {
    const { ctx } = host;
    const model = () => host.model();
    const change = (next: ChannelModel) => host.change(next);
    this.sender = new ChannelSender({
      ctx,
      me: () => host.me(),
      cid: () => host.cid(),
      create: () => host.create(),
      find: (id) => this.find(id),
      showPending: (message) => {
        if (inChannel(message)) {
          change({ ...model(), window: model().window.withPendingMessage(message) });
        }
        if (message.parent_id === null) return;
        if (inChannel(message)) this.threads.pendingChanged();
        else this.threads.showPending(message);
      },
      updatePending: (id, update) => {
        change({ ...model(), window: model().window.updatePending(id, update) });
        this.threads.updatePending(id, update);
        this.threads.pendingChanged();
      },
      shownPending: () => [...model().window.pending, ...this.threads.pending],
      sending: () => host.sending(),
      users: (ids) => ids.map((id) => model().members[id]?.user ?? placeholderUser(id)),
    });
    this.history = new ChannelHistory({
      ctx,
      me: () => host.me(),
      path: (suffix) => host.path(suffix),
      model,
      change,
    });
    this.actions = new MessageActions({
      ctx,
      me: () => host.me(),
      cid: () => host.cid(),
      find: (id) => this.find(id),
      show: (id, message) => this.show(id, message),
      live: () => model().watching,
    });
    this.threads = new ChannelThreads({
      rest: ctx.rest,
      me: () => host.me(),
      userId: () => ctx.userId(),
      follow: () => host.follow(),
      shown: (message) => this.actions.ops.current(message.id) ?? message,
      send: (input) => this.sender.send(input),
      windowPending: () => model().window.pending,
    });
  }

  /**
   * `next`, the channel's state after `event`, with the user's pending changes kept over
   * the messages the event changed; threads apply the event too.
   */
  applied(event: ChannelEvent, next: ChannelModel): ChannelModel {
    for (const { id, change } of messageChanges(event, this.host.ctx.userId())) {
      const shown = this.actions.ops.rebase(id, change);
      if (shown !== undefined) next = { ...next, window: next.window.change(id, () => shown) };
    }
    if (event.type === 'message.new') this.history.applied(event.message);
    else this.history.changed(event);
    return next;
  }

  /**
   * `next`, a state read from the server (a watch, a channel list), with the user's pending
   * changes kept over the messages it holds, which are the newest server state there is.
   */
  refilled(next: ChannelModel): ChannelModel {
    let { window } = next;
    for (const id of this.actions.ops.ids()) {
      const fresh = window.get(id);
      const shown = fresh === undefined ? undefined : this.actions.ops.rebase(id, () => fresh);
      if (shown !== undefined) window = window.change(id, () => shown);
    }
    return window === next.window ? next : { ...next, window };
  }

  /** After the channel's state took `event`: threads follow. */
  afterApplied(event: ChannelEvent): void {
    this.threads.apply(event);
  }

  /** The server stored one of the user's messages. */
  stored(message: Message): void {
    const model = this.host.model();
    if (inChannel(message)) this.host.change(withAck(model, message));
    else {
      // A reply kept in its thread: never among the channel's messages.
      const window = model.window.withoutPending([message]);
      if (window !== model.window) this.host.change({ ...model, window });
    }
    if (message.parent_id !== null) this.threads.stored(message);
  }

  /** The server acknowledged a queued edit, delete, pin or reaction. */
  actionAcked(item: QueuedAction, message: Message): void {
    this.actions.acked(item, message);
  }

  /** The channel stopped watching: changes waiting for their events show the server's answers. */
  stopped(): void {
    for (const base of this.actions.ops.clear()) this.show(base.id, base);
  }

  /** The message `id` as shown: in the channel, among pending replies, or in an open thread. */
  find(id: string): LocalMessage | undefined {
    return this.host.model().window.find(id) ?? this.threads.find(id);
  }

  /** Shows `message` in place of the message `id` (null: removes it), in the channel and threads. */
  show(id: string, message: LocalMessage | null): void {
    const model = this.host.model();
    const window = model.window.change(id, () => message);
    if (window !== model.window) this.host.change({ ...model, window });
    this.threads.updatePending(id, () => message);
    this.threads.show(id, message);
  }
}
