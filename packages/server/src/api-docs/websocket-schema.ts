import {
  channelEventSchema,
  clientFrameSchema,
  connectionOkFrameSchema,
  errorFrameSchema,
  frameResultSchemas,
  pongFrameSchema,
  responseFrameSchema,
  serverEventSchema,
} from '@parley/protocol';
import { z } from 'zod';

type JsonSchema = Record<string, unknown> & { $defs?: Record<string, unknown> };

/**
 * The WebSocket half of the protocol as one JSON Schema (draft 2020-12): every frame a
 * client sends, every frame and event the server pushes, and the result of each request,
 * generated from the same zod schemas the server validates with.
 */
export function buildWebSocketSchema(version: string): JsonSchema {
  const defs: Record<string, unknown> = {};
  const add = (name: string, schema: z.ZodType, io: 'input' | 'output') => {
    const generated = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      // Frames and events may gain fields; only what a client sends is checked strictly.
      override: ({ jsonSchema, zodSchema }) => {
        if (io === 'output' && zodSchema._zod.def.type === 'object') {
          delete jsonSchema.additionalProperties;
        }
      },
    }) as JsonSchema;
    Object.assign(defs, generated.$defs ?? {});
    // Each part keeps only its own definition: the shared ones and $schema go on top.
    delete generated.$defs;
    delete generated.$schema;
    defs[name] = generated;
  };
  add('ClientFrame', clientFrameSchema, 'input');
  add('ConnectionOkFrame', connectionOkFrameSchema, 'output');
  add('ResponseFrame', responseFrameSchema, 'output');
  add('ErrorFrame', errorFrameSchema, 'output');
  add('PongFrame', pongFrameSchema, 'output');
  add('ServerEvent', serverEventSchema, 'output');
  add('ChannelEvent', channelEventSchema, 'output');
  for (const [type, schema] of Object.entries(frameResultSchemas)) {
    add(`Result:${type}`, schema, 'output');
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Parley WebSocket frames and events',
    description:
      `Protocol version ${version}. A client sends ClientFrame; the server sends ` +
      'ConnectionOkFrame first, then ResponseFrame (whose result is the Result:<frame type> ' +
      'of the request), ErrorFrame, PongFrame and ServerEvent frames. docs/protocol.md ' +
      'describes when each is sent.',
    $defs: Object.fromEntries(Object.entries(defs).sort(([a], [b]) => a.localeCompare(b))),
  };
}
