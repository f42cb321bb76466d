import {
  createWebhookRequestSchema,
  deleteWebhookResponseSchema,
  listDeliveriesRequestSchema,
  listDeliveriesResponseSchema,
  listWebhooksResponseSchema,
  notificationSettingsResponseSchema,
  redeliverResponseSchema,
  unsubscribeQuerySchema,
  updateNotificationSettingsRequestSchema,
  webhookParamsSchema,
  webhookResponseSchema,
} from './schemas/notifications.js';
import { userParamsSchema } from './schemas/params.js';
import type { RestRoute } from './rest-routes.js';

/** Webhooks, notification settings and unsubscribing (part of {@link restRoutes}). */
export const notificationRoutes = [
  {
    method: 'POST',
    path: '/webhooks',
    summary: 'Add a webhook endpoint; it receives channel events committed from now on',
    auth: 'server',
    body: createWebhookRequestSchema,
    responses: { 201: { description: 'Added', schema: webhookResponseSchema } },
    errors: ['server_auth_required'],
  },
  {
    method: 'GET',
    path: '/webhooks',
    summary: 'Every webhook endpoint, from the configuration and from the API',
    auth: 'server',
    responses: { 200: { description: 'The endpoints', schema: listWebhooksResponseSchema } },
    errors: ['server_auth_required'],
  },
  {
    method: 'DELETE',
    path: '/webhooks/:id',
    summary: 'Remove an endpoint added through the API, with its pending deliveries',
    auth: 'server',
    params: webhookParamsSchema,
    responses: { 200: { description: 'Removed', schema: deleteWebhookResponseSchema } },
    errors: ['server_auth_required', 'webhook_not_found', 'forbidden'],
  },
  {
    method: 'GET',
    path: '/webhooks/deliveries',
    summary: 'Deliveries waiting for an attempt (`pending`) or given up on (`failed`, the default)',
    auth: 'server',
    query: listDeliveriesRequestSchema,
    responses: {
      200: { description: 'A page, oldest first', schema: listDeliveriesResponseSchema },
    },
    errors: ['server_auth_required'],
  },
  {
    method: 'POST',
    path: '/webhooks/deliveries/:id/redeliver',
    summary: 'Try a delivery again now, with a fresh 24 h of retries',
    auth: 'server',
    params: webhookParamsSchema,
    responses: { 200: { description: 'Pending again', schema: redeliverResponseSchema } },
    errors: ['server_auth_required', 'delivery_not_found'],
  },
  {
    method: 'GET',
    path: '/users/:id/notification-settings',
    summary: "A user's email address and notification settings (the user or the server)",
    auth: 'any',
    params: userParamsSchema,
    responses: { 200: { description: 'The settings', schema: notificationSettingsResponseSchema } },
    errors: ['user_mismatch', 'user_not_found'],
  },
  {
    method: 'PUT',
    path: '/users/:id/notification-settings',
    summary: 'Turn email on or off, mute or unmute channels (the user or the server)',
    auth: 'any',
    params: userParamsSchema,
    body: updateNotificationSettingsRequestSchema,
    responses: {
      200: { description: 'The settings after', schema: notificationSettingsResponseSchema },
    },
    errors: ['user_mismatch', 'user_not_found', 'not_member'],
  },
  {
    method: 'GET',
    path: '/notifications/unsubscribe',
    summary: "The page an email's unsubscribe link opens: a button that confirms",
    description:
      'No token: the signed `token` of the link is the credential. Changes nothing by itself (link scanners GET it).',
    auth: 'public',
    query: unsubscribeQuerySchema,
    responses: { 200: { description: 'An HTML page', contentType: 'text/html' } },
    errors: ['invalid_signature'],
  },
  {
    method: 'POST',
    path: '/notifications/unsubscribe',
    summary: 'Turn off email for the user of the signed token (RFC 8058 one-click)',
    description:
      'Mail clients POST `List-Unsubscribe=One-Click` as `application/x-www-form-urlencoded`; any body is accepted.',
    auth: 'public',
    query: unsubscribeQuerySchema,
    responses: { 200: { description: 'An HTML page saying so', contentType: 'text/html' } },
    errors: ['invalid_signature'],
  },
] as const satisfies readonly RestRoute[];
