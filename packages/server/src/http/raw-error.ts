import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ChatError } from '@parley/protocol';

/**
 * Answers on a bare socket, where no framework reply exists (a malformed request, a
 * request that timed out, a refused WebSocket upgrade), in Parley's error shape, then
 * closes the connection: after such an error the stream cannot be trusted.
 */
export function writeRawError(
  socket: Duplex,
  error: ChatError,
  headers: Record<string, string> = {},
): void {
  if (socket.destroyed) return;
  if (socket.writable) {
    const body = JSON.stringify(error.toBody());
    const lines = [
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`,
      'Connection: close',
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  } else {
    socket.destroy();
  }
}
