import { randomUUID } from 'node:crypto';
import type { NotificationStore, WebhookSubject } from '../storage/notification-store.js';
import { iso } from '../services/wire.js';
import { wantsEvent } from './webhook-endpoints.js';

/** Timing of what the dispatcher schedules. */
export interface DispatcherOptions {
  retryForMs: number;
  emailAfterMs: number;
  mentionEmailAfterMs: number;
}

/** Events per dispatch transaction. */
const EVENTS_PER_DISPATCH = 500;

/**
 * The JSON body of an event's webhook request (see WebhookPayload in the protocol): a
 * channel event, or an app event with `cid` null and the app's seq.
 */
export function webhookBody(event: WebhookSubject, eventId: string): string {
  return JSON.stringify({
    id: eventId,
    type: event.type,
    cid: event.cid,
    seq: event.seq,
    created_at: iso(event.createdAt),
    event: event.payload,
  });
}

/** Turns committed events into webhook deliveries and email schedules (one step of a WorkerLoop). */
export class OutboxDispatcher {
  /** Where the walk over the channels goes on (DispatchResult.resumeAfter). */
  private resumeAfter: string | undefined;

  constructor(
    private readonly store: NotificationStore,
    private readonly options: DispatcherOptions,
  ) {}

  /**
   * One dispatch. Reports work waiting only when it left some: a dispatch that caught up
   * lets the loop wait its poll interval, so that under a steady flow of messages each
   * transaction takes the events of that interval (500 ms by default, the delay a webhook
   * has at rest anyway) rather than the two or three committed since the last one, each
   * a commit with its own WAL sync.
   */
  async step(): Promise<number> {
    const { taken, more, resumeAfter } = await this.store.dispatch({
      now: Date.now(),
      limit: EVENTS_PER_DISPATCH,
      after: this.resumeAfter,
      newEventId: () => `evt_${randomUUID()}`,
      webhookBody,
      wants: wantsEvent,
      retryForMs: this.options.retryForMs,
      emailAfterMs: this.options.emailAfterMs,
      mentionEmailAfterMs: this.options.mentionEmailAfterMs,
    });
    this.resumeAfter = more ? resumeAfter : undefined;
    return more ? taken : 0;
  }
}
