import { createHmac, timingSafeEqual } from 'node:crypto';
import { ChatError } from '@parley/protocol';
import type { z } from 'zod';

/**
 * Opaque, tamper-evident page cursors: the position as base64url JSON and an HMAC of it
 * under a key derived from the app secret, bound to the kind of list. A cursor the server
 * did not issue for that list (edited, forged, from another list) is `invalid_request`
 * instead of silently answering some other page. Every node of a deployment shares the
 * secret, so any node takes any node's cursor.
 */
export class PageCursors {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('parley page cursor v1').digest();
  }

  /** A cursor for `kind` (e.g. `users`) at `position`. */
  encode(kind: string, position: unknown): string {
    const payload = Buffer.from(JSON.stringify(position)).toString('base64url');
    return `${payload}.${this.mac(kind, payload).toString('base64url')}`;
  }

  /** The position of a cursor this server issued for `kind`, checked against `schema`. */
  decode<T>(kind: string, cursor: string, schema: z.ZodType<T>): T {
    const [payload, mac, extra] = cursor.split('.');
    if (payload !== undefined && mac !== undefined && extra === undefined) {
      const expected = this.mac(kind, payload);
      const given = Buffer.from(mac, 'base64url');
      if (given.length === expected.length && timingSafeEqual(given, expected)) {
        try {
          const parsed = schema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString()));
          if (parsed.success) return parsed.data;
        } catch {
          // not JSON: refused below
        }
      }
    }
    throw new ChatError('invalid_request', 'cursor is not one this server returned for this list', {
      issues: [{ path: 'cursor', message: 'not a cursor this server returned for this list' }],
    });
  }

  private mac(kind: string, payload: string): Buffer {
    return createHmac('sha256', this.key).update(`${kind}\n${payload}`).digest().subarray(0, 16);
  }
}
