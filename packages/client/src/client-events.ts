import type { ChatError } from '@parley/protocol/codes';
import type { ServerEvent, ServerEventType, UnreadSummary, User } from '@parley/protocol';
import type { ChannelStateSnapshot } from './channel/channel-state.js';
import type { ConnectionChangedEvent } from './connection/connection-state.js';

/** The user's unread totals. */
export interface UnreadCounts {
  total_unread_count: number;
  unread_channels: number;
  /** Unread messages that mention the user, in all channels. */
  total_unread_mentions: number;
}

/** What `connectUser` resolves with. */
export interface ConnectionInfo {
  connectionId: string;
  user: User;
  unread: UnreadSummary;
}

/**
 * The event of type `K`. Unlike the protocol's `ServerEventOf`, this finds events whose
 * `type` is a union too (`typing.start` | `typing.stop` share one shape).
 */
export type EventOf<K extends string> = ServerEvent extends infer E
  ? E extends { type: infer T }
    ? K extends T
      ? E
      : never
    : never
  : never;

type ServerEventMap = { [K in ServerEventType]: EventOf<K> };

/** Every event `client.on` knows, with its payload. */
export type ClientEventMap = ServerEventMap & {
  'connection.changed': ConnectionChangedEvent;
  'connection.connecting': ConnectionChangedEvent;
  'connection.connected': ConnectionChangedEvent;
  'connection.reconnecting': ConnectionChangedEvent;
  'connection.offline': ConnectionChangedEvent;
  'connection.disconnected': ConnectionChangedEvent;
  'unread.changed': UnreadCounts;
  error: ChatError;
  /** Every server event. */
  '*': ServerEvent;
};

/** Server events about one channel. */
export type ChannelEventType = Extract<ServerEvent, { cid: string }>['type'];

/** Every event `channel.on` knows, with its payload. */
export type ChannelEventMap = { [K in ChannelEventType]: EventOf<K> } & {
  /** The channel's state changed; the handler gets the new state. */
  'state.changed': ChannelStateSnapshot;
  /** Every server event about the channel. */
  '*': ServerEvent;
};
