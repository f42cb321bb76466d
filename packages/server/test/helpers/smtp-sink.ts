import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server that keeps every email it is given, parsed with mailparser: what a
 * mail provider would receive from Parley.
 */
export class SmtpSink {
  private constructor(
    private readonly server: SMTPServer,
    readonly mails: ParsedMail[],
  ) {}

  static async start(): Promise<SmtpSink> {
    const mails: ParsedMail[] = [];
    const server = new SMTPServer({
      // Plain SMTP on localhost: no STARTTLS (its self-signed certificate), no login.
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onData(stream, _session, callback) {
        simpleParser(stream).then(
          (mail) => {
            mails.push(mail);
            callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
    const sink = new SmtpSink(server, mails);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  /** Emails sent to `address`. */
  to(address: string): ParsedMail[] {
    return this.mails.filter((m) => JSON.stringify(m.to).includes(address));
  }

  /** Waits until `address` has `count` emails; fails after `timeoutMs`. */
  async waitFor(address: string, count = 1, timeoutMs = 15_000): Promise<ParsedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.to(address).length < count) {
      if (Date.now() > deadline) {
        throw new Error(`${address} got ${this.to(address).length} emails, expected ${count}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.to(address);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
