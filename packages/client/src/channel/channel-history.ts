import { PAGE } from '@parley/protocol/codes';
import type {
  ChannelEvent,
  GetMessagesResponse,
  GetPinnedResponse,
  Message,
} from '@parley/protocol';
import { inChannel, messageChanges } from './message-events.js';
import { checkInteger, invalid } from '../arguments.js';
import type { ChannelContext } from './channel-context.js';
import { withPage, type PageCursor } from './channel-pages.js';
import type { ChannelModel } from './channel-state.js';
import { sent, type LocalMessage } from './message-list.js';

/** What arrived while a page was on its way. */
interface Recording {
  messages: Message[];
  events: ChannelEvent[];
}

/** What the history loader needs from its channel. */
export interface ChannelHistoryOptions {
  ctx: Pick<ChannelContext, 'rest' | 'userId'>;
  /** Throws before `connectUser` and after the session ended. */
  me(): string;
  /** The channel's REST path plus `suffix`; undefined until the channel id is known. */
  path(suffix: string): string | undefined;
  model(): ChannelModel;
  change(next: ChannelModel): void;
}

/**
 * Pages of history into a channel's window: older and newer than what is loaded, or the
 * latest. Messages applied while a page is on its way are noted, so that a page that
 * brings the window back to the newest messages is followed by them (see `withPage`).
 */
export class ChannelHistory {
  private readonly recording = new Set<Recording>();

  constructor(private readonly options: ChannelHistoryOptions) {}

  /** A message was applied (live or caught up): pages in flight note it (not a reply kept in its thread). */
  applied(message: Message): void {
    if (!inChannel(message)) return;
    for (const list of this.recording) list.messages.push(message);
  }

  /** An edit, a delete or a reaction was applied: pages in flight apply it again to their messages. */
  changed(event: ChannelEvent): void {
    for (const list of this.recording) list.events.push(event);
  }

  older(limit: number): Promise<LocalMessage[]> {
    const oldest = this.options.model().window.oldest;
    return this.load(limit, oldest === undefined ? {} : { before: oldest.id });
  }

  newer(limit: number): Promise<LocalMessage[]> {
    const newest = this.options.model().window.newest;
    return this.load(limit, newest === undefined ? {} : { after: newest.id });
  }

  latest(limit: number): Promise<LocalMessage[]> {
    return this.load(limit, {});
  }

  /** The page around `id`; nothing is fetched when the message is loaded. */
  around(id: string, limit: number): Promise<LocalMessage[]> {
    const { window } = this.options.model();
    if (window.get(id) !== undefined) {
      this.options.me();
      return Promise.resolve(window.toArray());
    }
    return this.load(limit, { around: id });
  }

  /** The channel's pinned messages, newest pin first. */
  async pinned(limit?: number): Promise<Message[]> {
    this.options.me();
    checkInteger(limit, 'limit', 1, PAGE.pinnedMax);
    const path = this.options.path('/pinned');
    if (path === undefined) throw invalid('create or watch the channel first');
    return (await this.options.ctx.rest.call<GetPinnedResponse>('GET', path, { limit })).messages;
  }

  private async load(limit: number, cursor: PageCursor): Promise<LocalMessage[]> {
    const { options } = this;
    options.me();
    checkInteger(limit, 'limit', 1, PAGE.messagesMax);
    const path = options.path('/messages');
    if (path === undefined) throw invalid('create or watch the channel first');
    const recent: Recording = { messages: [], events: [] };
    this.recording.add(recent);
    try {
      const page = await options.ctx.rest.call<GetMessagesResponse>('GET', path, {
        limit,
        ...cursor,
      });
      let next = withPage(options.model(), page, cursor, recent.messages);
      // The page may have been read before those changes: applying one twice changes nothing.
      for (const event of recent.events) {
        for (const { id, change } of messageChanges(event, options.ctx.userId())) {
          next = { ...next, window: next.window.change(id, change) };
        }
      }
      options.change(next);
      return page.messages.map(sent);
    } finally {
      this.recording.delete(recent);
    }
  }
}
