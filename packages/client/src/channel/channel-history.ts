import { PAGE } from '@parley/protocol/codes';
import type { GetMessagesResponse, Message } from '@parley/protocol';
import { checkInteger, invalid } from '../arguments.js';
import type { ChannelContext } from './channel-context.js';
import { withPage, type PageCursor } from './channel-pages.js';
import type { ChannelModel } from './channel-state.js';
import { sent, type LocalMessage } from './message-list.js';

/** What the history loader needs from its channel. */
export interface ChannelHistoryOptions {
  ctx: Pick<ChannelContext, 'rest'>;
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
  private readonly recording = new Set<Message[]>();

  constructor(private readonly options: ChannelHistoryOptions) {}

  /** A message was applied (live or caught up): pages in flight note it. */
  applied(message: Message): void {
    for (const list of this.recording) list.push(message);
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

  private async load(limit: number, cursor: PageCursor): Promise<LocalMessage[]> {
    const { options } = this;
    options.me();
    checkInteger(limit, 'limit', 1, PAGE.messagesMax);
    const path = options.path('/messages');
    if (path === undefined) throw invalid('create or watch the channel first');
    const recent: Message[] = [];
    this.recording.add(recent);
    try {
      const page = await options.ctx.rest.call<GetMessagesResponse>('GET', path, {
        limit,
        ...cursor,
      });
      options.change(withPage(options.model(), page, cursor, recent));
      return page.messages.map(sent);
    } finally {
      this.recording.delete(recent);
    }
  }
}
