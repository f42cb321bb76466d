import type { MessageRecord } from './storage.js';

/** A webhook endpoint. `secret` null: the server's webhook secret signs its requests. */
export interface WebhookRecord {
  id: string;
  url: string;
  /** Event type filters: `*`, `message.*`, `message.new`. */
  events: string[];
  secret: string | null;
  source: 'config' | 'api';
  createdAt: number;
}

/** What a webhook delivers: a channel event, or an app event (`cid` null, `seq` the app's). */
export interface WebhookSubject {
  cid: string | null;
  seq: number;
  type: string;
  createdAt: number;
  payload: Record<string, unknown>;
}

/** One event to deliver to one endpoint. Delivered ones are deleted. */
export interface DeliveryRecord {
  id: string;
  webhookId: string;
  eventId: string;
  /** The channel; null for an app event. */
  cid: string | null;
  seq: number;
  type: string;
  /** The exact JSON body to POST. */
  body: string;
  status: 'pending' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  expiresAt: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
}

/** How a delivery attempt went. */
export type DeliveryOutcome =
  | { ok: true }
  | {
      ok: false;
      status: number | null;
      error: string;
      /** The next attempt's time; null: give up (dead-letter it). */
      retryAt: number | null;
    };

/** What one dispatch took. */
export interface DispatchResult {
  taken: number;
  /** More undispatched events were left for the next call. */
  more: boolean;
  /**
   * With `more`: the channel after which the next call goes on (DispatchOptions.after); a
   * dispatch takes the channels with new events in cid order, so one walk from the first
   * to the last takes each once. Absent: the next call starts from the first. Without
   * `more` the walk has ended: the next starts from the first.
   */
  resumeAfter?: string | undefined;
}

/** What the dispatcher does with committed events, inside the transaction that marks them dispatched. */
export interface DispatchOptions {
  now: number;
  /** Most events per transaction. */
  limit: number;
  /** Only channels whose cid sorts after this one (the last call's `resumeAfter`). */
  after?: string | undefined;
  /** The id every endpoint's delivery of one event shares. */
  newEventId: () => string;
  /** The JSON body of an event's webhook request. */
  webhookBody: (event: WebhookSubject, eventId: string) => string;
  /** Whether an endpoint wants an event type. */
  wants: (webhook: WebhookRecord, type: string) => boolean;
  /** How long a delivery is retried. */
  retryForMs: number;
  /** Email delay after an unread message, and after one that mentions the user. */
  emailAfterMs: number;
  mentionEmailAfterMs: number;
}

/** A user's email settings. */
export interface NotificationSettingsRecord {
  email: string | null;
  emailEnabled: boolean;
  mutedCids: string[];
}

/** A channel of a due email: what is unread there. */
export interface EmailChannelDue {
  cid: string;
  firstAt: number;
  /** Channel custom data (its `url` and `name`). */
  channelData: Record<string, unknown>;
  /** Unread messages from others, after the read position. */
  unread: number;
  /** The latest unread messages, oldest first. */
  latest: MessageRecord[];
}

/** A user whose email is due, with everything the email says. */
export interface EmailDue {
  userId: string;
  name: string | null;
  email: string | null;
  emailEnabled: boolean;
  lastActive: number | null;
  channels: EmailChannelDue[];
  /** Channels scheduled but no longer worth an email (read, left, muted). */
  droppedCids: string[];
}

/**
 * The outbox and its consumers: webhook endpoints and deliveries, the email schedule and
 * users' email settings. Every queue here is shared by the nodes of a deployment: what one
 * node takes, no other takes until its lease ends.
 */
export interface NotificationStore {
  /** Replaces the endpoints of source `config` by these (ids derive from url and filters). */
  setConfigWebhooks(webhooks: readonly WebhookRecord[]): Promise<void>;
  createWebhook(webhook: WebhookRecord): Promise<void>;
  listWebhooks(): Promise<WebhookRecord[]>;
  getWebhook(id: string): Promise<WebhookRecord | null>;
  /** Removes an endpoint and its deliveries; false if there was none. */
  deleteWebhook(id: string): Promise<boolean>;

  /**
   * Takes committed events no dispatcher took yet (per channel in seq order, at most
   * `limit`), writes a delivery for each endpoint that wants each and updates the email
   * schedule, and marks them dispatched — all in one transaction; then the same for app
   * events, in a transaction of their own. Returns how many events it took (0 when there
   * were none), and whether it left some for the next call (it took as many events, or
   * as many channels, as one call takes).
   */
  dispatch(options: DispatchOptions): Promise<DispatchResult>;
  /**
   * Takes up to `limit` deliveries due at `now`, each the first pending one of its
   * endpoint and channel, for `leaseMs`: no other node takes them meanwhile.
   */
  claimDeliveries(now: number, limit: number, leaseMs: number): Promise<DeliveryRecord[]>;
  /** Deletes a delivered one, or schedules its next attempt, or dead-letters it. */
  finishDelivery(id: string, outcome: DeliveryOutcome): Promise<void>;
  listDeliveries(query: {
    status: 'pending' | 'failed';
    webhookId?: string | undefined;
    after?: { createdAt: number; id: string } | undefined;
    limit: number;
  }): Promise<DeliveryRecord[]>;
  /** Makes a delivery pending again, due now, retried until `expiresAt`; null if none. */
  redeliver(id: string, now: number, expiresAt: number): Promise<DeliveryRecord | null>;
  countDeliveries(): Promise<{ pending: number; failed: number }>;

  getNotificationSettings(userId: string): Promise<NotificationSettingsRecord | null>;
  /** Changes what is given; mutes apply to channels the user is a member of (others are returned). */
  updateNotificationSettings(
    userId: string,
    change: {
      emailEnabled?: boolean | undefined;
      mute?: readonly string[];
      unmute?: readonly string[];
    },
  ): Promise<{ settings: NotificationSettingsRecord; notMember: string[] } | null>;
  /**
   * Takes the users with an email due at `now` (at most `limit`) for `leaseMs`, each with
   * all their due channels and what is unread in each (`quote` latest messages).
   */
  claimDueEmails(now: number, limit: number, leaseMs: number, quote: number): Promise<EmailDue[]>;
  /** Records the email of these channels as sent (no other until the user reads) and drops the others. */
  finishEmail(
    userId: string,
    sentCids: readonly string[],
    droppedCids: readonly string[],
    now: number,
  ): Promise<void>;
  /** Sending failed: try again at `retryAt`. */
  retryEmail(userId: string, cids: readonly string[], retryAt: number): Promise<void>;
}
