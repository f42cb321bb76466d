import { errorStatus, retryableErrorCodes, type ErrorCode } from './error-codes.js';
import type { ErrorBody } from './schemas/errors.js';

/** The one error type of Parley: a stable code, a message for people, an HTTP status. */
export class ChatError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ChatError';
    this.code = code;
    this.status = errorStatus[code];
    this.details = details;
  }

  /** True when the same request may succeed later without change. */
  get retryable(): boolean {
    return retryableErrorCodes.has(this.code);
  }

  /** The wire shape: `{ error: { code, message, details? } }`. */
  toBody(): ErrorBody {
    const error: ErrorBody['error'] = { code: this.code, message: this.message };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }

  /** Rebuilds a ChatError from a wire error body. */
  static fromBody(body: ErrorBody): ChatError {
    return new ChatError(body.error.code, body.error.message, body.error.details);
  }
}
