import { join } from 'node:path';
import { FileMailer } from './file-mailer.js';
import { DEFAULT_FROM, type MailOptions, type Mailer } from './mailer.js';
import { SmtpMailer } from './smtp-mailer.js';

/** SMTP when `smtpUrl` is set, else the file outbox in `<dataDir>/outbox`. */
export function createMailer(options: MailOptions, dataDir: string): Mailer {
  const from = options.from ?? DEFAULT_FROM;
  if (options.smtpUrl !== undefined && options.smtpUrl !== '') {
    return new SmtpMailer(options.smtpUrl, from);
  }
  return new FileMailer(options.outboxDir ?? join(dataDir, 'outbox'), from);
}
