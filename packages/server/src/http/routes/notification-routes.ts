import type { FastifyInstance } from 'fastify';
import {
  createWebhookRequestSchema,
  listDeliveriesRequestSchema,
  unsubscribeQuerySchema,
  updateNotificationSettingsRequestSchema,
  userParamsSchema,
  webhookParamsSchema,
} from '@parley/protocol';
import { escapeHtml } from '../../notifications/email-render.js';
import type { NotificationService } from '../../services/notification-service.js';
import { parse } from '../parse.js';

/** Webhooks, notification settings and the unsubscribe page. */
export function notificationRoutes(app: FastifyInstance, notifications: NotificationService): void {
  app.post('/webhooks', async (request, reply) => {
    const body = parse(createWebhookRequestSchema, request.body);
    return reply
      .code(201)
      .send({ webhook: await notifications.createWebhook(request.actor, body) });
  });

  app.get('/webhooks', async (request) => ({
    webhooks: await notifications.listWebhooks(request.actor),
  }));

  app.delete('/webhooks/:id', async (request) => {
    const { id } = parse(webhookParamsSchema, request.params);
    await notifications.deleteWebhook(request.actor, id);
    return { deleted: true };
  });

  app.get('/webhooks/deliveries', async (request) => {
    const query = parse(listDeliveriesRequestSchema, request.query);
    return notifications.listDeliveries(request.actor, query);
  });

  app.post('/webhooks/deliveries/:id/redeliver', async (request) => {
    const { id } = parse(webhookParamsSchema, request.params);
    return { delivery: await notifications.redeliver(request.actor, id) };
  });

  app.get('/users/:id/notification-settings', async (request) => {
    const { id } = parse(userParamsSchema, request.params);
    return { user_id: id, settings: await notifications.getSettings(request.actor, id) };
  });

  app.put('/users/:id/notification-settings', async (request) => {
    const { id } = parse(userParamsSchema, request.params);
    const body = parse(updateNotificationSettingsRequestSchema, request.body);
    return { user_id: id, settings: await notifications.updateSettings(request.actor, id, body) };
  });

  // The unsubscribe link works without logging in: its signed token is the credential.
  // A GET (link scanners prefetch links) only shows a button; the POST unsubscribes, and
  // is what mail clients send for RFC 8058 one-click unsubscribe.
  void app.register(async (scope) => {
    scope.addContentTypeParser(
      ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'],
      { parseAs: 'string', bodyLimit: 1024 },
      (_request, body, done) => done(null, body),
    );

    scope.get(
      '/notifications/unsubscribe',
      { config: { public: true } },
      async (request, reply) => {
        const { token } = parse(unsubscribeQuerySchema, request.query);
        await notifications.unsubscribe(token, false);
        return reply
          .type('text/html; charset=utf-8')
          .header(
            'content-security-policy',
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
          )
          .send(
            page(
              'Unsubscribe',
              `<p>Stop receiving emails about unread messages?</p>` +
                `<form method="post" action="?token=${escapeHtml(encodeURIComponent(token))}">` +
                `<input type="hidden" name="List-Unsubscribe" value="One-Click">` +
                `<button type="submit">Unsubscribe</button></form>`,
            ),
          );
      },
    );

    scope.post(
      '/notifications/unsubscribe',
      { config: { public: true } },
      async (request, reply) => {
        const { token } = parse(unsubscribeQuerySchema, request.query);
        await notifications.unsubscribe(token, true);
        return reply
          .type('text/html; charset=utf-8')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
          .send(
            page('Unsubscribed', '<p>You will no longer receive emails about unread messages.</p>'),
          );
      },
    );
  });
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif"><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}
