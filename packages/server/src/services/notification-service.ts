import { randomUUID } from 'node:crypto';
import {
  ChatError,
  type CreateWebhookRequest,
  type NotificationSettings,
  type UpdateNotificationSettingsRequest,
  type Webhook,
  type WebhookDelivery,
} from '@parley/protocol';
import type {
  DeliveryRecord,
  NotificationSettingsRecord,
  WebhookRecord,
} from '../storage/notification-store.js';
import { verifyUnsubscribeToken } from '../notifications/unsubscribe-token.js';
import { actingUserId, requireServer } from './access.js';
import type { Actor, ServiceContext } from './context.js';
import { iso } from './wire.js';

/** Webhook endpoints and deliveries (server only), users' notification settings, unsubscribing. */
export class NotificationService {
  constructor(
    private readonly ctx: ServiceContext,
    /** Called after a change that gives the workers something to do. */
    private readonly kick: () => void = () => {},
  ) {}

  private get store() {
    return this.ctx.storage.notifications;
  }

  async createWebhook(actor: Actor, body: CreateWebhookRequest): Promise<Webhook> {
    requireServer(actor);
    const webhook: WebhookRecord = {
      id: `wh_${randomUUID()}`,
      url: body.url,
      events: body.events ?? ['*'],
      secret: body.secret ?? null,
      source: 'api',
      createdAt: Date.now(),
    };
    await this.store.createWebhook(webhook);
    return webhookWire(webhook);
  }

  async listWebhooks(actor: Actor): Promise<Webhook[]> {
    requireServer(actor);
    return (await this.store.listWebhooks()).map(webhookWire);
  }

  async deleteWebhook(actor: Actor, id: string): Promise<void> {
    requireServer(actor);
    const webhook = await this.store.getWebhook(id);
    if (webhook === null) throw new ChatError('webhook_not_found', `no webhook ${id}`);
    if (webhook.source === 'config') {
      throw new ChatError(
        'forbidden',
        'this endpoint comes from --webhook-url; change the configuration',
      );
    }
    await this.store.deleteWebhook(id);
  }

  async listDeliveries(
    actor: Actor,
    query: {
      status: 'pending' | 'failed';
      webhook_id?: string | undefined;
      limit: number;
      cursor?: string | undefined;
    },
  ): Promise<{ deliveries: WebhookDelivery[]; next_cursor: string | null }> {
    requireServer(actor);
    const after = decodeCursor(query.cursor);
    const rows = await this.store.listDeliveries({
      status: query.status,
      webhookId: query.webhook_id,
      after,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      deliveries: page.map(deliveryWire),
      next_cursor:
        rows.length > query.limit && last !== undefined
          ? Buffer.from(JSON.stringify([last.createdAt, last.id])).toString('base64url')
          : null,
    };
  }

  async redeliver(actor: Actor, id: string): Promise<WebhookDelivery> {
    requireServer(actor);
    const now = Date.now();
    const row = await this.store.redeliver(
      id,
      now,
      now + this.ctx.config.notifications.webhookRetryForMs,
    );
    if (row === null) throw new ChatError('delivery_not_found', `no delivery ${id}`);
    this.kick();
    return deliveryWire(row);
  }

  async getSettings(actor: Actor, userId: string): Promise<NotificationSettings> {
    actingUserId(actor, userId);
    const settings = await this.store.getNotificationSettings(userId);
    if (settings === null) throw new ChatError('user_not_found', `no user ${userId}`);
    return settingsWire(settings);
  }

  async updateSettings(
    actor: Actor,
    userId: string,
    body: UpdateNotificationSettingsRequest,
  ): Promise<NotificationSettings> {
    actingUserId(actor, userId);
    const result = await this.store.updateNotificationSettings(userId, {
      emailEnabled: body.email_enabled,
      mute: body.mute ?? [],
      unmute: body.unmute ?? [],
    });
    if (result === null) throw new ChatError('user_not_found', `no user ${userId}`);
    if (result.notMember.length > 0) {
      throw new ChatError(
        'not_member',
        `${userId} is not a member of ${result.notMember.join(', ')}`,
        {
          cids: result.notMember,
        },
      );
    }
    return settingsWire(result.settings);
  }

  /** Turns email off for the user of a signed unsubscribe token; answers who. */
  async unsubscribe(token: string, confirm: boolean): Promise<string> {
    const userId = verifyUnsubscribeToken(this.ctx.config.secret, token);
    if (userId === null)
      throw new ChatError('invalid_signature', 'this unsubscribe link is not valid');
    if (confirm) await this.store.updateNotificationSettings(userId, { emailEnabled: false });
    return userId;
  }
}

function decodeCursor(cursor: string | undefined): { createdAt: number; id: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [createdAt, id] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    ) as unknown[];
    if (typeof createdAt === 'number' && typeof id === 'string') return { createdAt, id };
  } catch {
    // refused below
  }
  throw new ChatError('invalid_request', 'cursor is not a next_cursor this server gave');
}

function webhookWire(webhook: WebhookRecord): Webhook {
  return {
    id: webhook.id,
    url: webhook.url,
    events: webhook.events,
    source: webhook.source,
    own_secret: webhook.secret !== null,
    created_at: iso(webhook.createdAt),
  };
}

function deliveryWire(d: DeliveryRecord): WebhookDelivery {
  return {
    id: d.id,
    webhook_id: d.webhookId,
    event_id: d.eventId,
    cid: d.cid,
    seq: d.seq,
    type: d.type,
    status: d.status,
    attempts: d.attempts,
    next_attempt_at: d.status === 'pending' ? iso(d.nextAttemptAt) : null,
    last_status: d.lastStatus,
    last_error: d.lastError,
    created_at: iso(d.createdAt),
  };
}

function settingsWire(s: NotificationSettingsRecord): NotificationSettings {
  return { email: s.email, email_enabled: s.emailEnabled, muted_cids: s.mutedCids };
}
