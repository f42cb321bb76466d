import { createHash } from 'node:crypto';
import type { WebhookRecord } from '../storage/notification-store.js';

/** One `--webhook-url` entry: `https://host/path`, or with filters `https://host/path#message.new+member.*`. */
export function parseWebhookEntry(entry: string): { url: string; events: string[] } {
  const hash = entry.indexOf('#');
  const url = hash === -1 ? entry : entry.slice(0, hash);
  const events =
    hash === -1
      ? ['*']
      : entry
          .slice(hash + 1)
          .split('+')
          .map((e) => e.trim())
          .filter(Boolean);
  if (!/^https?:\/\/[^/\s]+/i.test(url)) {
    throw new Error(`a webhook URL must start with http:// or https://, got "${url}"`);
  }
  for (const event of events) {
    if (!/^(\*|[a-z_]+(\.[a-z_]+)*(\.\*)?)$/.test(event)) {
      throw new Error(
        `"${event}" in webhook ${url} is not an event type (message.new, message.*, *)`,
      );
    }
  }
  return { url, events: events.length === 0 ? ['*'] : events };
}

/** Endpoints from the configuration; the id derives from the entry, so it survives restarts. */
export function configWebhooks(
  entries: readonly { url: string; events: string[] }[],
  now: number,
): WebhookRecord[] {
  return entries.map((entry) => ({
    id: `cfg_${createHash('sha256')
      .update(`${entry.url}#${entry.events.join('+')}`)
      .digest('hex')
      .slice(0, 20)}`,
    url: entry.url,
    events: entry.events,
    secret: null,
    source: 'config',
    createdAt: now,
  }));
}

/** Whether an endpoint's filters take an event type: `*`, a prefix `message.*`, or the type. */
export function wantsEvent(webhook: Pick<WebhookRecord, 'events'>, type: string): boolean {
  return webhook.events.some(
    (filter) =>
      filter === '*' ||
      filter === type ||
      (filter.endsWith('.*') && type.startsWith(filter.slice(0, -1))),
  );
}
