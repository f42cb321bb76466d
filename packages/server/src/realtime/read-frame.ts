import type { RawData } from 'ws';
import { z } from 'zod';
import { ChatError, clientFrameSchema, clientFrameTypes, type ClientFrame } from '@parley/protocol';
import { fromZod } from '../to-chat-error.js';

/** A frame read from a socket: the client's frame, or the error to answer it with. */
export type ReadFrame =
  { ok: true; frame: ClientFrame } | { ok: false; error: ChatError; reqId: string | undefined };

/**
 * Checks a WebSocket frame in the order the protocol documents: size, text, JSON, the
 * envelope (`type`), a known type, then the frame's own schema. The `req_id` is read as
 * early as the JSON allows, so that even a refused frame's error names its request.
 */
export function readClientFrame(data: RawData, isBinary: boolean, maxBytes: number): ReadFrame {
  const bytes = Array.isArray(data)
    ? data.reduce((n, b) => n + b.length, 0)
    : data instanceof ArrayBuffer
      ? data.byteLength
      : data.length;
  if (bytes > maxBytes) {
    return refused(
      new ChatError('frame_too_large', `frames are limited to ${maxBytes} bytes`, {
        max_bytes: maxBytes,
      }),
    );
  }
  if (isBinary) return refused(new ChatError('invalid_request', 'frames must be JSON text'));
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString());
  } catch {
    return refused(new ChatError('invalid_json', 'the frame is not valid JSON'));
  }
  const reqId = readReqId(raw);
  const envelope = frameEnvelopeSchema.safeParse(raw);
  if (!envelope.success) return refused(fromZod(envelope.error), reqId);
  const { type } = envelope.data;
  if (!(clientFrameTypes as readonly string[]).includes(type)) {
    return refused(
      new ChatError('unknown_frame', `unknown frame type "${type.slice(0, 64)}"`, {
        known: clientFrameTypes,
      }),
      reqId,
    );
  }
  const parsed = clientFrameSchema.safeParse(raw);
  if (!parsed.success) return refused(fromZod(parsed.error), reqId);
  return { ok: true, frame: parsed.data };
}

function refused(error: ChatError, reqId?: string): ReadFrame {
  return { ok: false, error, reqId };
}

/** What every frame has, checked first so that even this failure lists its issues. */
const frameEnvelopeSchema = z.looseObject({ type: z.string() });

function readReqId(raw: unknown): string | undefined {
  const reqId = (raw as { req_id?: unknown } | null)?.req_id;
  return typeof reqId === 'string' && reqId.length > 0 && reqId.length <= 64 ? reqId : undefined;
}
