import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChatError } from '@parley/protocol';
import type { Metrics } from '../metrics.js';
import { writeRawError } from './raw-error.js';

/**
 * Errors Fastify raises before a route runs (a bad URL, an over-long path segment), in
 * Parley's shape: a client that saw the framework's own body would have to treat it as a
 * network failure and retry forever.
 */
export function frameworkErrorHandler(metrics: Metrics) {
  return (error: Error & { code?: string }, _request: FastifyRequest, reply: FastifyReply) => {
    const chatError = fromFrameworkCode(error.code);
    metrics.errors.inc({ code: chatError.code });
    void reply.code(chatError.status).send(chatError.toBody());
  };
}

function fromFrameworkCode(code: string | undefined): ChatError {
  switch (code) {
    case 'FST_ERR_BAD_URL':
      return new ChatError('invalid_request', 'the URL is not valid (bad percent-encoding)');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ChatError('uri_too_long', 'a path segment is longer than the server reads');
    default:
      return new ChatError('internal_error', 'an unexpected error happened; it has been logged');
  }
}

/**
 * Errors Node's HTTP parser raises on a connection (malformed request, headers too large,
 * a request not received in time): answered on the socket itself, then closed.
 */
export function clientErrorHandler(metrics: Metrics) {
  return (error: Error & { code?: string }, socket: Socket) => {
    // A connection reset leaves nobody to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const chatError = fromClientErrorCode(error.code);
    metrics.errors.inc({ code: chatError.code });
    writeRawError(socket, chatError);
  };
}

function fromClientErrorCode(code: string | undefined): ChatError {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ChatError('request_timeout', 'the request was not received in time; resend it');
    case 'HPE_HEADER_OVERFLOW':
      return new ChatError(
        'headers_too_large',
        'the request line and headers are larger than the server reads',
      );
    default:
      return new ChatError('invalid_request', 'the request is not valid HTTP/1.1');
  }
}
