import type { FastifyBaseLogger } from 'fastify';
import type { Email, Mailer } from './mailer.js';

/**
 * Hands an email over and logs where it went (with no SMTP: the `.eml` file, so a
 * developer sees it); false, logged as an error, when it could not be. An email never
 * fails the action that caused it: the answer says `email_sent: false` instead.
 */
export async function deliver(
  mailer: Mailer,
  log: FastifyBaseLogger,
  email: Email,
  about: Record<string, unknown> = {},
): Promise<boolean> {
  try {
    const where = await mailer.send(email);
    log.info({ ...about, to: email.to, subject: email.subject, where }, 'email sent');
    return true;
  } catch (err) {
    log.error({ ...about, err, to: email.to, subject: email.subject }, 'email not sent');
    return false;
  }
}
