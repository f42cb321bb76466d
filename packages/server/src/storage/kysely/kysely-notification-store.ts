import type { Kysely } from 'kysely';
import type {
  DeliveryOutcome,
  DeliveryRecord,
  DispatchOptions,
  DispatchResult,
  EmailDue,
  NotificationSettingsRecord,
  NotificationStore,
  WebhookRecord,
} from '../notification-store.js';
import type { Database } from './database.js';
import * as email from './email-queries.js';
import { dispatchAppEvents } from './app-event-dispatch.js';
import { dispatchEvents } from './outbox-dispatch.js';
import type { StorageAdapter } from './storage-adapter.js';
import * as webhooks from './webhook-queries.js';

/** The NotificationStore in Kysely; `guard` is the storage's error translation. */
export class KyselyNotificationStore implements NotificationStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: StorageAdapter,
    private readonly guard: <T>(work: () => Promise<T>) => Promise<T>,
  ) {}

  setConfigWebhooks(list: readonly WebhookRecord[]): Promise<void> {
    return this.guard(() => webhooks.setConfigWebhooks(this.db, list));
  }
  createWebhook(webhook: WebhookRecord): Promise<void> {
    return this.guard(() => webhooks.createWebhook(this.db, webhook));
  }
  listWebhooks(): Promise<WebhookRecord[]> {
    return this.guard(() => webhooks.listWebhooks(this.db));
  }
  getWebhook(id: string): Promise<WebhookRecord | null> {
    return this.guard(() => webhooks.getWebhook(this.db, id));
  }
  deleteWebhook(id: string): Promise<boolean> {
    return this.guard(() => webhooks.deleteWebhook(this.db, id));
  }
  dispatch(options: DispatchOptions): Promise<DispatchResult> {
    return this.guard(async () => {
      const channels = await dispatchEvents(this.db, this.adapter, options);
      const app = await dispatchAppEvents(this.db, this.adapter, options);
      return {
        taken: channels.taken + app.taken,
        more: channels.more || app.more,
        resumeAfter: channels.resumeAfter,
      };
    });
  }
  claimDeliveries(now: number, limit: number, leaseMs: number): Promise<DeliveryRecord[]> {
    return this.guard(() => webhooks.claimDeliveries(this.db, this.adapter, now, limit, leaseMs));
  }
  finishDelivery(id: string, outcome: DeliveryOutcome): Promise<void> {
    return this.guard(() => webhooks.finishDelivery(this.db, id, outcome));
  }
  listDeliveries(query: Parameters<NotificationStore['listDeliveries']>[0]) {
    return this.guard(() => webhooks.listDeliveries(this.db, query));
  }
  redeliver(id: string, now: number, expiresAt: number): Promise<DeliveryRecord | null> {
    return this.guard(() => webhooks.redeliver(this.db, id, now, expiresAt));
  }
  countDeliveries(): Promise<{ pending: number; failed: number }> {
    return this.guard(() => webhooks.countDeliveries(this.db));
  }
  getNotificationSettings(userId: string): Promise<NotificationSettingsRecord | null> {
    return this.guard(() => email.getNotificationSettings(this.db, userId));
  }
  updateNotificationSettings(
    userId: string,
    change: Parameters<NotificationStore['updateNotificationSettings']>[1],
  ) {
    return this.guard(() => email.updateNotificationSettings(this.db, userId, change));
  }
  claimDueEmails(now: number, limit: number, leaseMs: number, quote: number): Promise<EmailDue[]> {
    return this.guard(() =>
      email.claimDueEmails(this.db, this.adapter, now, limit, leaseMs, quote),
    );
  }
  finishEmail(
    userId: string,
    sentCids: readonly string[],
    droppedCids: readonly string[],
    now: number,
  ): Promise<void> {
    return this.guard(() => email.finishEmail(this.db, userId, sentCids, droppedCids, now));
  }
  retryEmail(userId: string, cids: readonly string[], retryAt: number): Promise<void> {
    return this.guard(() => email.retryEmail(this.db, userId, cids, retryAt));
  }
}
