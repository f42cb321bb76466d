import type { FastifyBaseLogger } from 'fastify';
import type { NotificationConfig } from '../config.js';
import type { Metrics } from '../metrics.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import type { EmailChannelDue, EmailDue } from '../storage/notification-store.js';
import type { Storage } from '../storage/storage.js';
import { channelLink, channelTitle, renderUnreadEmail, type EmailSection } from './email-render.js';
import type { MailTransport } from './mail/mail-transport.js';
import { createUnsubscribeToken } from './unsubscribe-token.js';

/** Users emailed per step. */
const USERS_PER_STEP = 10;
/** Latest unread messages quoted per channel. */
const QUOTED = 3;
/** A failed send is tried again this much later. */
const RETRY_MS = 60_000;

/**
 * Sends the emails that are due: one per user, covering every channel where they have
 * unread messages and have had no connection since the first of them.
 */
export class EmailNotifier {
  constructor(
    private readonly storage: Storage,
    private readonly presence: PresenceTracker,
    private readonly transport: MailTransport,
    private readonly config: NotificationConfig & { secret: string },
    private readonly baseUrl: () => string,
    private readonly metrics: Metrics,
    private readonly logger: FastifyBaseLogger,
  ) {}

  async step(): Promise<number> {
    const now = Date.now();
    const due = await this.storage.notifications.claimDueEmails(
      now,
      USERS_PER_STEP,
      60_000,
      QUOTED,
    );
    for (const user of due) await this.notify(user, now);
    return due.length;
  }

  private async notify(user: EmailDue, now: number): Promise<void> {
    const store = this.storage.notifications;
    const all = user.channels.map((c) => c.cid);
    if (user.email === null || !user.emailEnabled) {
      await store.finishEmail(user.userId, [], [...all, ...user.droppedCids], now);
      return;
    }
    const online = (await this.presence.online([user.userId])).has(user.userId);
    // Someone who connected after the first unread message saw the badge: no email.
    const worth = user.channels.filter(
      (c) => !online && (user.lastActive === null || user.lastActive < c.firstAt),
    );
    const dropped = [
      ...user.droppedCids,
      ...user.channels.filter((c) => !worth.includes(c)).map((c) => c.cid),
    ];
    if (worth.length === 0) {
      this.metrics.emails.inc({ result: 'skipped' }, all.length + user.droppedCids.length);
      await store.finishEmail(user.userId, [], dropped, now);
      return;
    }
    const authors = new Map(
      (
        await this.storage.getUsers([
          ...new Set(worth.flatMap((c) => c.latest.flatMap((m) => (m.userId ? [m.userId] : [])))),
        ])
      ).map((u) => [u.id, u.name ?? u.id]),
    );
    const others = await this.otherMembers(worth, user.userId);
    const sections: EmailSection[] = worth.map((c) => ({
      title: channelTitle(c, others.get(c.cid)),
      link: channelLink(c, this.config.emailLinkTemplate),
      unread: c.unread,
      quotes: c.latest.map((m) => ({
        author: m.userId === null ? 'System' : (authors.get(m.userId) ?? m.userId),
        text: m.text,
      })),
    }));
    const unsubscribeUrl = `${this.baseUrl()}/notifications/unsubscribe?token=${createUnsubscribeToken(this.config.secret, user.userId)}`;
    const body = renderUnreadEmail(user.name, sections, unsubscribeUrl);
    try {
      const where = await this.transport.send({
        to: user.email,
        ...body,
        headers: {
          // RFC 8058: mail clients offer one-click unsubscribe by POSTing to this URL.
          'List-Unsubscribe': `<${unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'Auto-Submitted': 'auto-generated',
        },
      });
      this.metrics.emails.inc({ result: 'sent' });
      this.logger.info({ user: user.userId, to: where }, `notification email: ${body.subject}`);
      await store.finishEmail(
        user.userId,
        worth.map((c) => c.cid),
        dropped,
        now,
      );
    } catch (err) {
      this.metrics.emails.inc({ result: 'error' });
      this.logger.error({ err, user: user.userId }, 'notification email could not be sent');
      await store.retryEmail(
        user.userId,
        worth.map((c) => c.cid),
        now + RETRY_MS,
      );
      await store.finishEmail(user.userId, [], dropped, now);
    }
  }

  /** For the channels without a name: the names of their members but the recipient. */
  private async otherMembers(
    channels: readonly EmailChannelDue[],
    recipientId: string,
  ): Promise<Map<string, string[]>> {
    const unnamed = channels.filter((c) => channelTitle(c) === c.cid);
    const members = await Promise.all(unnamed.map((c) => this.storage.getMembers(c.cid)));
    const ids = [...new Set(members.flat().map((m) => m.userId))].filter(
      (id) => id !== recipientId,
    );
    const names = new Map((await this.storage.getUsers(ids)).map((u) => [u.id, u.name ?? u.id]));
    return new Map(
      unnamed.map((c, i) => [
        c.cid,
        members[i]!.flatMap((m) =>
          m.userId === recipientId ? [] : [names.get(m.userId) ?? m.userId],
        ),
      ]),
    );
  }
}
