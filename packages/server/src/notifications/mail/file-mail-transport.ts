import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { MailTransport, OutgoingEmail } from './mail-transport.js';

/**
 * Writes each email as an .eml file in `folder` (nodemailer builds the same message it
 * would send), so a deployment without SMTP — `npm start` — still shows what would go out.
 */
export function createFileMailTransport(folder: string, from: string): MailTransport {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return {
    async send(email: OutgoingEmail) {
      const info = await transport.sendMail({ from, ...email });
      await mkdir(folder, { recursive: true });
      // Sortable by time; the uuid keeps two emails of one millisecond apart.
      const file = path.join(
        folder,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.eml`,
      );
      await writeFile(file, info.message as Buffer, { mode: 0o600 });
      return file;
    },
    close() {
      transport.close();
    },
  };
}
