import { ChatError } from '@parley/protocol';
import { ZodError } from 'zod';
import {
  AttachmentRefusedError,
  ChannelNotFoundError,
  InvalidReferenceError,
  MessageDeletedError,
  MessageIdConflictError,
  MessageNotFoundError,
  NotMemberError,
  StorageUnavailableError,
  TooManyReactionTypesError,
  UnknownUsersError,
} from './storage/storage-errors.js';

/**
 * The one place where any error becomes a wire error: ours pass through, storage and
 * framework errors are mapped, and anything else is an `internal_error` whose details
 * stay in the log.
 */
export function toChatError(err: unknown): ChatError {
  if (err instanceof ChatError) return err;
  if (err instanceof ZodError) return fromZod(err);
  if (err instanceof ChannelNotFoundError) {
    return new ChatError('channel_not_found', `channel ${err.cid} does not exist`);
  }
  if (err instanceof NotMemberError) {
    return new ChatError('not_member', `${err.userId} is not a member of ${err.cid}`);
  }
  if (err instanceof UnknownUsersError) {
    return new ChatError('unknown_users', `these users do not exist: ${err.userIds.join(', ')}`, {
      user_ids: err.userIds,
    });
  }
  if (err instanceof MessageIdConflictError) {
    return new ChatError(
      'message_id_conflict',
      `message id ${err.messageId} is already used in another channel or by another user`,
    );
  }
  if (err instanceof MessageNotFoundError) {
    return new ChatError('message_not_found', `message ${err.messageId} does not exist`);
  }
  if (err instanceof MessageDeletedError) {
    return new ChatError('message_deleted', `message ${err.messageId} was deleted`);
  }
  if (err instanceof InvalidReferenceError) {
    return new ChatError('invalid_request', err.message, {
      issues: [{ path: err.field, message: err.reason }],
    });
  }
  if (err instanceof AttachmentRefusedError) return fromAttachmentRefusal(err);
  if (err instanceof TooManyReactionTypesError) {
    return new ChatError(
      'too_many_reaction_types',
      `message ${err.messageId} already has ${err.max} reaction types`,
      { max: err.max },
    );
  }
  if (err instanceof StorageUnavailableError) {
    return new ChatError('storage_unavailable', 'the database is not answering; retry later');
  }
  const fastifyError = err as { code?: unknown; statusCode?: unknown } | null;
  switch (fastifyError?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ChatError('payload_too_large', 'the request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ChatError('unsupported_media_type', 'send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new ChatError('invalid_json', 'the body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ChatError('invalid_request', 'the Content-Length does not match the body');
  }
  if (err instanceof SyntaxError && fastifyError?.statusCode === 400) {
    return new ChatError('invalid_json', 'the body is not valid JSON');
  }
  const frameworkRefusal = fromFrameworkStatus(fastifyError);
  if (frameworkRefusal !== null) return frameworkRefusal;
  if (isConnectionError(err)) {
    return new ChatError('storage_unavailable', 'the database is not answering; retry later');
  }
  return new ChatError('internal_error', 'an unexpected error happened; it has been logged');
}

function fromAttachmentRefusal(err: AttachmentRefusedError): ChatError {
  const details = { attachment_id: err.uploadId };
  const id = err.uploadId;
  switch (err.reason) {
    case 'not_found':
      return new ChatError(
        'file_not_found',
        `no upload ${id} (never uploaded, or removed)`,
        details,
      );
    case 'not_owned':
      return new ChatError(
        'attachment_not_owned',
        `upload ${id} was uploaded by another user`,
        details,
      );
    case 'wrong_channel':
      return new ChatError(
        'attachment_wrong_channel',
        `upload ${id} was uploaded for another channel`,
        details,
      );
    case 'in_use':
      return new ChatError(
        'attachment_in_use',
        `upload ${id} is attached to another message`,
        details,
      );
  }
}

/** Validation failures list each problem with its path, so a client can point at the field. */
export function fromZod(err: ZodError): ChatError {
  const issues = err.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  const summary =
    first === undefined ? 'invalid request' : `${first.path || 'request'}: ${first.message}`;
  return new ChatError('invalid_request', summary, { issues });
}

/**
 * Any other refusal by the framework (its codes start with FST_ERR and it sets a 4xx
 * status): a client error in Parley's terms, by status, never an `internal_error`.
 */
function fromFrameworkStatus(
  err: { code?: unknown; statusCode?: unknown } | null,
): ChatError | null {
  const status = err?.statusCode;
  if (typeof err?.code !== 'string' || !err.code.startsWith('FST_ERR')) return null;
  if (typeof status !== 'number' || status < 400 || status > 499) return null;
  switch (status) {
    case 408:
      return new ChatError('request_timeout', 'the request was not received in time; resend it');
    case 413:
      return new ChatError('payload_too_large', 'the request body is too large');
    case 414:
      return new ChatError('uri_too_long', 'the URL is longer than the server reads');
    case 415:
      return new ChatError('unsupported_media_type', 'send the body as application/json');
    case 431:
      return new ChatError('headers_too_large', 'the request headers are too large');
    default:
      return new ChatError('invalid_request', 'the request was refused as malformed');
  }
}

function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT' ||
    code === '57P01' || // admin_shutdown
    code === '08006' || // connection_failure
    code === '08001'
  );
}
