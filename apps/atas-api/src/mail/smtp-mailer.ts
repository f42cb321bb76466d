import nodemailer, { type Transporter } from 'nodemailer';
import type { Email, Mailer } from './mailer.js';

/** Sends through an SMTP server (nodemailer); nothing is kept here. */
export class SmtpMailer implements Mailer {
  readonly outbox = null;
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(email: Email): Promise<string> {
    const info = await this.transport.sendMail({ from: this.from, ...email });
    return String(info.messageId);
  }

  list(): Promise<null> {
    return Promise.resolve(null);
  }
}
