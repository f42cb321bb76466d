/** An email ATAS sends: plain text, with the links written out. */
export interface Email {
  to: string;
  subject: string;
  text: string;
}

/** An email as a mail folder keeps it (read back from its `.eml` file). */
export interface StoredEmail extends Email {
  id: string;
  from: string;
  created_at: string;
}

/** Where ATAS's emails go: SMTP, or a folder of files when no SMTP server is configured. */
export interface Mailer {
  /** The folder emails are written to; null when they go to an SMTP server. */
  readonly outbox: string | null;
  /** Resolves once the email is handed over, with where it went (a file, a message id). */
  send(email: Email): Promise<string>;
  /** The emails kept, newest first; null when they are not kept here (SMTP). */
  list(): Promise<StoredEmail[] | null>;
}

/** Mail settings of the ATAS API. */
export interface MailOptions {
  /** The sender. Default `ATAS <no-reply@atas.localhost>`. */
  from?: string | undefined;
  /** `smtp://user:pass@host:587` or `smtps://…`; none: emails are written to `outboxDir`. */
  smtpUrl?: string | undefined;
  /** Folder of the file outbox. Default `<dataDir>/outbox`. */
  outboxDir?: string;
}

export const DEFAULT_FROM = 'ATAS <no-reply@atas.localhost>';
