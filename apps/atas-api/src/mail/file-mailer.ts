import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { readMailFolder } from './mail-folder.js';
import type { Email, Mailer, StoredEmail } from './mailer.js';

/**
 * The outbox of a machine with no SMTP server, as Parley keeps its own: each email becomes
 * `<time>-<id>.eml`, the message as an SMTP server would get it (built by nodemailer),
 * which the dev mailbox and tests read back. Files appear whole (written, then renamed).
 */
export class FileMailer implements Mailer {
  private readonly builder = nodemailer.createTransport({ streamTransport: true, buffer: true });

  constructor(
    readonly outbox: string,
    private readonly from: string,
  ) {}

  async send(email: Email): Promise<string> {
    await mkdir(this.outbox, { recursive: true });
    const createdAt = new Date();
    const info = await this.builder.sendMail({ from: this.from, ...email, date: createdAt });
    const file = join(this.outbox, `${createdAt.getTime()}-${randomUUID()}.eml`);
    await writeFile(`${file}.tmp`, info.message as Buffer, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
    return file;
  }

  list(): Promise<StoredEmail[]> {
    return readMailFolder(this.outbox);
  }
}
