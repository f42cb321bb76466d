/** An email ATAS sends: plain text, with the links written out. */
export interface Email {
  to: string;
  subject: string;
  text: string;
}

/** An email as the file outbox kept it. */
export interface StoredEmail extends Email {
  id: string;
  from: string;
  created_at: string;
}

/** Where ATAS's emails go: SMTP, or a folder of files when no SMTP server is configured. */
export interface Mailer {
  /** Resolves once the email is handed over (written, or accepted by the SMTP server). */
  send(email: Email): Promise<void>;
  /** The emails kept, newest first; null when they are not kept here (SMTP). */
  list(): Promise<StoredEmail[] | null>;
}

/** Mail settings of the ATAS API. */
export interface MailOptions {
  /** The sender. Default `ATAS <no-reply@atas.localhost>`. */
  from?: string;
  /** `smtp://user:pass@host:587` or `smtps://…`; none: emails are written to `outboxDir`. */
  smtpUrl?: string | undefined;
  /** Folder of the file outbox. Default `<dataDir>/outbox`. */
  outboxDir?: string;
}

export const DEFAULT_FROM = 'ATAS <no-reply@atas.localhost>';
