import type { ChatError } from '@parley/protocol/codes';
import type { MarkReadResponse, ServerEvent, User } from '@parley/protocol';
import type { RequestFrame } from '../connection/request-tracker.js';
import type { SendQueue } from '../queue/send-queue.js';
import type { RestClient } from '../rest/rest-client.js';
import type { Channel } from './channel.js';

/** What a channel needs from its client. */
export interface ChannelContext {
  /** The connected user's id; null before `connectUser` and after `disconnect()`. */
  userId(): string | null;
  /** The current user as the author of a pending message. */
  author(): User;
  request<T>(frame: RequestFrame): Promise<T>;
  /** Sends a frame without waiting for an answer, if connected. */
  send(frame: RequestFrame): boolean;
  /** True while the WebSocket is connected. */
  connected(): boolean;
  /** How long to wait before catching up again after attempt `attempt` failed. */
  retryDelay(attempt: number): number;
  rest: RestClient;
  queue: SendQueue;
  markReadDelayMs: number;
  /** The most stored messages a channel keeps loaded. */
  maxMessages: number;
  /** A distinct channel learnt its cid. */
  bind(channel: Channel): void;
  /** The unread count changed by a live event or markRead (and mentions by `mentions`): the totals follow. */
  unreadChanged(before: number, after: number, mentions?: number): void;
  /** The answer to the channel's own `channel.read`. */
  readAnswered(result: MarkReadResponse): void;
  /** A channel event was applied: the client's handlers get it. */
  emit(event: ServerEvent): void;
  error(error: ChatError): void;
}

/** Members and custom data for a channel the client may create. */
export interface ChannelOptions {
  members?: string[];
  data?: Record<string, unknown>;
}

/** What `sendMessage` takes. */
export interface SendMessageInput {
  text: string;
  data?: Record<string, unknown>;
  /** Chosen by the caller to make a retry idempotent; default a new UUID. */
  id?: string;
  /** A reply in the thread of this message (of the same channel, not itself a reply). */
  parentId?: string;
  /** With `parentId`: the reply is also part of the channel's history. */
  showInChannel?: boolean;
  /** Quotes this message (of the same channel). */
  quotedMessageId?: string;
  /** Ids of members the text mentions (others are dropped by the server). */
  mentionedUsers?: string[];
}

/** What `updateMessage` takes: at least one of text and data. */
export interface UpdateMessageInput {
  text?: string;
  /** Replaces the message's custom data. */
  data?: Record<string, unknown>;
  /** Ids of members the new text mentions; left as they were when absent. */
  mentionedUsers?: string[];
}
