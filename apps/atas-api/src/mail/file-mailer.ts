import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Email, Mailer, StoredEmail } from './mailer.js';

/**
 * The outbox of a machine with no SMTP server: each email becomes `<time>-<id>.eml` (the
 * message as an SMTP server would get it, built by nodemailer) and a `.json` beside it
 * that the dev mailbox and tests read. Files appear whole (written, then renamed).
 */
export class FileMailer implements Mailer {
  private readonly builder = nodemailer.createTransport({ streamTransport: true, buffer: true });

  constructor(
    private readonly dir: string,
    private readonly from: string,
  ) {}

  async send(email: Email): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const id = randomUUID();
    const createdAt = new Date();
    const info = await this.builder.sendMail({ from: this.from, ...email, date: createdAt });
    const base = join(this.dir, `${createdAt.getTime()}-${id}`);
    const stored: StoredEmail = {
      id,
      from: this.from,
      ...email,
      created_at: createdAt.toISOString(),
    };
    await writeFile(`${base}.eml.tmp`, info.message as Buffer);
    await rename(`${base}.eml.tmp`, `${base}.eml`);
    await writeFile(`${base}.json.tmp`, JSON.stringify(stored, null, 2) + '\n');
    await rename(`${base}.json.tmp`, `${base}.json`);
  }

  async list(): Promise<StoredEmail[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const files = names
      .filter((name) => name.endsWith('.json'))
      .sort()
      .reverse();
    return Promise.all(
      files.map(
        async (name) => JSON.parse(await readFile(join(this.dir, name), 'utf8')) as StoredEmail,
      ),
    );
  }
}
