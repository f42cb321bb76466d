import type { ChannelState } from '@parley/protocol';
import { checkChannelId, checkData, checkMembers, invalid } from '../arguments.js';
import { Channel } from './channel.js';
import type { ChannelContext, ChannelOptions } from './channel-context.js';

/**
 * The session's channels: one instance per cid, and distinct channels (DMs) by member
 * list until their cid is known.
 */
export class ChannelRegistry {
  private readonly byCid = new Map<string, Channel>();
  private readonly byMembers = new Map<string, Channel>();

  constructor(
    private readonly context: ChannelContext,
    /** The current user, who is always a member of their distinct channels. */
    private readonly me: () => string | null,
  ) {}

  get(cid: string): Channel | undefined {
    return this.byCid.get(cid);
  }

  /** Every channel of the session, once. */
  all(): Channel[] {
    return [...new Set([...this.byCid.values(), ...this.byMembers.values()])];
  }

  /** The channel `type:id`. */
  withId(type: string, id: unknown, options: ChannelOptions): Channel {
    const cid = `${type}:${checkChannelId(id)}`;
    let channel = this.byCid.get(cid);
    if (channel === undefined) {
      channel = new Channel(this.context, type, id as string, checkOptions(options));
      this.byCid.set(cid, channel);
    }
    return channel;
  }

  /** The distinct channel of a member list. */
  withMembers(type: string, options: ChannelOptions): Channel {
    const checked = checkOptions(options);
    if (checked.members === undefined) throw invalid('a channel without an id needs members');
    const key = this.key(type, checked.members);
    let channel = this.byMembers.get(key);
    if (channel === undefined) {
      channel = new Channel(this.context, type, undefined, checked);
      this.byMembers.set(key, channel);
    }
    return channel;
  }

  /** A distinct channel learnt its cid. */
  bind(channel: Channel): void {
    if (!this.byCid.has(channel.cid!)) this.byCid.set(channel.cid!, channel);
  }

  /** The channel for a state the server returned, filled with it. */
  adopt(state: ChannelState): Channel {
    const { channel: data } = state;
    let channel = this.byCid.get(data.cid);
    if (channel === undefined && data.distinct) {
      const key = this.key(
        data.type,
        state.members.map((m) => m.user_id),
      );
      const known = this.byMembers.get(key);
      if (known !== undefined && (known.cid === undefined || known.cid === data.cid))
        channel = known;
    }
    channel ??= new Channel(this.context, data.type, data.id, {});
    this.byCid.set(data.cid, channel);
    channel.fill(state);
    return channel;
  }

  /** Ends the session's channels (their timers stop) and forgets them. */
  clear(): void {
    for (const channel of this.all()) channel.dispose();
    this.byCid.clear();
    this.byMembers.clear();
  }

  private key(type: string, members: readonly string[]): string {
    const all = new Set(members);
    const me = this.me();
    if (me !== null) all.add(me);
    return `${type}\n${[...all].sort().join('\n')}`;
  }
}

function checkOptions(options: ChannelOptions): ChannelOptions {
  if (typeof options !== 'object' || options === null) throw invalid('options must be an object');
  const checked: ChannelOptions = {};
  if (options.members !== undefined) checked.members = checkMembers(options.members);
  const data = checkData(options.data);
  if (data !== undefined) checked.data = data;
  return checked;
}
