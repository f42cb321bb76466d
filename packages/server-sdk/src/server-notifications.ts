import {
  createWebhookRequestSchema,
  listDeliveriesRequestSchema,
  updateNotificationSettingsRequestSchema,
  userIdSchema,
  type CreateWebhookRequest,
  type NotificationSettings,
  type UpdateNotificationSettingsRequest,
  type Webhook,
  type WebhookDelivery,
} from '@parley/protocol';
import { ServerMessageCalls } from './server-messages.js';
import { check, invalid } from './validate.js';

/** Webhook endpoints and deliveries, and users' notification settings. */
export abstract class ServerNotificationCalls extends ServerMessageCalls {
  /** Adds a webhook endpoint; it receives the channel events committed from now on. */
  async createWebhook(webhook: CreateWebhookRequest): Promise<Webhook> {
    const body = check(createWebhookRequestSchema, webhook);
    return (await this.call<{ webhook: Webhook }>('POST', '/webhooks', { body })).webhook;
  }

  /** Every endpoint: from `--webhook-url` (`source: "config"`) and from the API. */
  async listWebhooks(): Promise<Webhook[]> {
    return (await this.call<{ webhooks: Webhook[] }>('GET', '/webhooks')).webhooks;
  }

  /** Removes an endpoint added through the API, with its pending deliveries. */
  async deleteWebhook(id: string): Promise<void> {
    if (typeof id !== 'string' || id === '') throw invalid('id', 'give a webhook id');
    await this.call('DELETE', `/webhooks/${encodeURIComponent(id)}`);
  }

  /** Deliveries that failed for good (default) or are still pending, oldest first. */
  async listDeliveries(
    options: {
      status?: 'pending' | 'failed';
      webhookId?: string;
      limit?: number;
      cursor?: string;
    } = {},
  ): Promise<{ deliveries: WebhookDelivery[]; next_cursor: string | null }> {
    const query = check(listDeliveriesRequestSchema, {
      status: options.status,
      webhook_id: options.webhookId,
      limit: options.limit,
      cursor: options.cursor,
    });
    return this.call('GET', '/webhooks/deliveries', { query });
  }

  /** Tries a (failed) delivery again now, with a fresh retry period. */
  async redeliver(deliveryId: string): Promise<WebhookDelivery> {
    if (typeof deliveryId !== 'string' || deliveryId === '') {
      throw invalid('deliveryId', 'give a delivery id');
    }
    const path = `/webhooks/deliveries/${encodeURIComponent(deliveryId)}/redeliver`;
    return (await this.call<{ delivery: WebhookDelivery }>('POST', path)).delivery;
  }

  /** A user's email address and notification settings. */
  async getNotificationSettings(userId: string): Promise<NotificationSettings> {
    check(userIdSchema, userId, 'userId');
    const path = `/users/${encodeURIComponent(userId)}/notification-settings`;
    return (await this.call<{ settings: NotificationSettings }>('GET', path)).settings;
  }

  /** Turns a user's email on or off, mutes or unmutes channels. (The address is set with upsertUser.) */
  async updateNotificationSettings(
    userId: string,
    change: UpdateNotificationSettingsRequest,
  ): Promise<NotificationSettings> {
    check(userIdSchema, userId, 'userId');
    const body = check(updateNotificationSettingsRequestSchema, change);
    const path = `/users/${encodeURIComponent(userId)}/notification-settings`;
    return (await this.call<{ settings: NotificationSettings }>('PUT', path, { body })).settings;
  }
}
