import type { Channel, ServerEvent } from '@parley/protocol';

/**
 * What travels between nodes. Every node receives every message and delivers it to its
 * own connections, so nothing here assumes one node.
 */
export type BusMessage =
  /** An event of one channel: to its watchers; `notify` members who do not watch get notifications. */
  | {
      kind: 'channel';
      cid: string;
      event: ServerEvent;
      /**
       * For `message.new`: members to notify when they are connected but not watching;
       * those of them it mentions also get `notification.mention`.
       */
      notify?:
        | { memberIds: string[]; mentionedUserIds?: string[] | undefined; channel: Channel }
        | undefined;
      /** For `member.removed`: stop this user's connections watching the channel. */
      unwatchUserId?: string | undefined;
      /** Do not deliver to this user's connections (their own typing events). */
      skipUserId?: string | undefined;
      /** Also deliver the event to these users' connections that do not watch the channel. */
      alsoToUserIds?: string[] | undefined;
    }
  /** An event for every connection of some users. */
  | { kind: 'users'; userIds: string[]; event: ServerEvent }
  /**
   * Settings or restrictions changed: every node drops its cached copy (see
   * AccessControl). `channel-type`: a type by name; `user`: a user's bans, mutes, blocks.
   */
  | { kind: 'invalidate'; scope: 'channel-type' | 'user'; key: string };

export type BusHandler = (message: BusMessage) => void;

/**
 * Fan-out between server nodes. Each node's messages reach every node in the order that
 * node published them; messages of different nodes may interleave in any order.
 */
export interface Bus {
  /**
   * Delivers to every node's handlers, this one's included: this node's synchronously,
   * before the promise settles; other nodes' as soon as the transport carries it.
   */
  publish(message: BusMessage): Promise<void>;
  /** Adds a handler; returns a function that removes it. */
  subscribe(handler: BusHandler): () => void;
  /**
   * Calls `handler` when messages from other nodes may have been lost: the link to them
   * broke and is back. The node's clients should then recover by seq.
   */
  onMissed(handler: () => void): void;
  /** Stops delivering; publishes already made still go out. */
  close(): Promise<void>;
}
