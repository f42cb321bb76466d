/** ATAS's stable error codes and their HTTP statuses. */
export const atasErrorStatus = {
  invalid_request: 400,
  invalid_json: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  session_invalid: 401,
  session_expired: 401,
  forbidden: 403,
  not_found: 404,
  event_not_found: 404,
  invitation_not_found: 404,
  speaker_not_found: 404,
  link_invalid: 404,
  already_invited: 409,
  invitation_not_pending: 409,
  email_taken: 409,
  cannot_invite_self: 409,
  not_a_speaker: 409,
  invitation_not_withdrawable: 409,
  link_used: 410,
  link_expired: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  too_many_attempts: 429,
  too_many_requests: 429,
  internal_error: 500,
  chat_unavailable: 503,
} as const;

export type AtasErrorCode = keyof typeof atasErrorStatus;

/** The one error of the ATAS API; it leaves as `{ error: { code, message, details? } }`, like Parley's. */
export class AtasError extends Error {
  readonly code: AtasErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: AtasErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AtasError';
    this.code = code;
    this.status = atasErrorStatus[code];
    this.details = details;
  }

  /** The wire shape. */
  toBody(): { error: { code: string; message: string; details?: Record<string, unknown> } } {
    const error: { code: string; message: string; details?: Record<string, unknown> } = {
      code: this.code,
      message: this.message,
    };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}
