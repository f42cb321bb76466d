import nodemailer from 'nodemailer';
import type { MailTransport, OutgoingEmail } from './mail-transport.js';

/** Sends through an SMTP server (`smtp://user:pass@host:587`, `smtps://…`) with nodemailer. */
export function createSmtpMailTransport(smtpUrl: string, from: string): MailTransport {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(email: OutgoingEmail) {
      const info = await transport.sendMail({ from, ...email });
      return String(info.messageId);
    },
    close() {
      transport.close();
    },
  };
}
