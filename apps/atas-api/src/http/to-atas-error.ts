import { ZodError } from 'zod';
import { ChatError } from '@parley/server-sdk';
import { AtasError } from '../atas-error.js';

/** The one place any error becomes a wire error; unknown ones are `internal_error`, logged. */
export function toAtasError(err: unknown): AtasError {
  if (err instanceof AtasError) return err;
  if (err instanceof ZodError) return fromZod(err);
  // A Parley failure that reached a handler unhandled: the chat is the part that failed.
  if (err instanceof ChatError && err.code === 'network_error') {
    return new AtasError('chat_unavailable', 'the chat server cannot be reached; retry later');
  }
  const fastifyError = err as { code?: unknown; statusCode?: unknown } | null;
  switch (fastifyError?.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AtasError('payload_too_large', 'the request body is too large');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AtasError('unsupported_media_type', 'send the body as application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AtasError('invalid_json', 'the body is not valid JSON');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AtasError('invalid_request', 'the Content-Length does not match the body');
  }
  if (err instanceof SyntaxError && fastifyError?.statusCode === 400) {
    return new AtasError('invalid_json', 'the body is not valid JSON');
  }
  return new AtasError('internal_error', 'an unexpected error happened; it has been logged');
}

/** Each validation problem with its path, so a client can point at the field. */
export function fromZod(err: ZodError): AtasError {
  const issues = err.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  const summary =
    first === undefined ? 'invalid request' : `${first.path || 'request'}: ${first.message}`;
  return new AtasError('invalid_request', summary, { issues });
}
