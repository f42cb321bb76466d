/** An email ready to leave: addresses, both bodies and extra headers. */
export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

/** Where emails go: an SMTP server, or files in the data folder. */
export interface MailTransport {
  /** Resolves once the email is accepted; answers where it went (a message id, a file). */
  send(email: OutgoingEmail): Promise<string>;
  close(): void;
}
