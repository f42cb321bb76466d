import {
  appWebhookPayloadSchema,
  channelWebhookPayloadSchema,
  errorBodySchema,
  errorStatus,
  restRoutes,
  type ErrorCode,
  type RestRoute,
} from '@parley/protocol';
import type { z } from 'zod';
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathItemObject,
  type ZodOpenApiResponsesObject,
} from 'zod-openapi';

/** Errors any authenticated route may answer. */
const AUTH_ERRORS: readonly ErrorCode[] = [
  'auth_missing',
  'token_invalid',
  'token_expired',
  'invalid_api_key',
  'rate_limited',
  'storage_unavailable',
];
/** Errors of any route that reads a body. */
const BODY_ERRORS: readonly ErrorCode[] = [
  'invalid_json',
  'payload_too_large',
  'unsupported_media_type',
];

/** The REST API as OpenAPI 3.1, built from the protocol's route table and zod schemas. */
export function buildOpenApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, ZodOpenApiPathItemObject> = {};
  for (const route of restRoutes as readonly RestRoute[]) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const item = (paths[path] ??= {});
    item[route.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'] = operation(route);
  }
  return createDocument(
    {
      openapi: '3.1.0',
      info: {
        title: 'Parley REST API',
        version,
        description: [
          'The REST half of the Parley protocol; docs/protocol.md is the whole contract, and',
          'docs/websocket.schema.json describes the WebSocket frames and events.',
          'Every error is `{ "error": { "code", "message", "details"? } }` with a stable code.',
          'Any request may also be answered `404 not_found` (no such route), `414 uri_too_long`,',
          '`431 headers_too_large`, `408 request_timeout` or `500 internal_error`.',
        ].join(' '),
        license: { name: 'MIT' },
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'A user token or the server token, HS256 with the app secret',
          },
        },
      },
      security: [{ bearer: [] }],
      paths,
      webhooks: {
        channelEvent: webhook(
          'A committed channel event (every type of the event log)',
          channelWebhookPayloadSchema,
        ),
        appEvent: webhook(
          'An app event: flag.created, flag.resolved, user.banned, user.unbanned, user.role_changed, channel_type.created, channel_type.updated',
          appWebhookPayloadSchema,
        ),
      },
    },
    {
      // Answers may gain fields in later versions; a client must not refuse them.
      override: ({ jsonSchema, zodSchema, io }) => {
        if (io === 'output' && zodSchema._zod.def.type === 'object') {
          delete jsonSchema.additionalProperties;
        }
      },
    },
  ) as unknown as Record<string, unknown>;
}

/**
 * What Parley POSTs to a webhook endpoint, signed `X-Parley-Signature: t=…,v1=…`
 * (docs/protocol.md, Webhooks); a 2xx answer delivers, anything else is retried.
 */
function webhook(summary: string, schema: z.ZodType): ZodOpenApiPathItemObject {
  return {
    post: {
      summary,
      security: [],
      requestBody: { required: true, content: { 'application/json': { schema } } },
      responses: { '2XX': { description: 'Delivered; any other answer is retried' } },
    },
  };
}

function operation(route: RestRoute): ZodOpenApiOperationObject {
  const op: ZodOpenApiOperationObject = {
    operationId: operationId(route),
    summary: route.summary,
    'x-parley-auth': route.auth,
    responses: responses(route),
  };
  if (route.description !== undefined) op.description = route.description;
  if (route.auth === 'public') op.security = [];
  if (route.params !== undefined || route.query !== undefined) {
    op.requestParams = {};
    if (route.params !== undefined) op.requestParams.path = route.params;
    if (route.query !== undefined) op.requestParams.query = route.query;
  }
  if (route.body !== undefined && route.bodyType === 'multipart') {
    // The fields in the order the server reads them: `file` last.
    op.requestBody = {
      required: true,
      description: 'multipart/form-data; the fields before the part `file`',
      content: {
        'multipart/form-data': {
          schema: route.body,
          encoding: { file: { contentType: 'application/octet-stream' } },
        },
      },
    };
  } else if (route.body !== undefined) {
    op.requestBody = {
      required: false,
      description: 'JSON; an empty body counts as {}',
      content: { 'application/json': { schema: route.body } },
    };
  }
  return op;
}

function responses(route: RestRoute): ZodOpenApiResponsesObject {
  const out: ZodOpenApiResponsesObject = {};
  for (const [status, answer] of Object.entries(route.responses)) {
    out[status as '200'] =
      answer.schema === undefined
        ? {
            description: answer.description,
            content: { [answer.contentType ?? 'text/plain']: { schema: { type: 'string' } } },
          }
        : {
            description: answer.description,
            content: { 'application/json': { schema: answer.schema } },
          };
  }
  const byStatus = new Map<number, Set<ErrorCode>>();
  for (const code of errorCodes(route)) {
    const status = errorStatus[code];
    if (!byStatus.has(status)) byStatus.set(status, new Set());
    byStatus.get(status)!.add(code);
  }
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status) as '400'] = {
      description: `Error: ${[...codes].map((c) => `\`${c}\``).join(', ')}`,
      content: { 'application/json': { schema: errorBodySchema } },
    };
  }
  return out;
}

/** The codes a route may answer with: its own, and those every route of its kind shares. */
export function errorCodes(route: RestRoute): ErrorCode[] {
  const codes = new Set<ErrorCode>(route.errors);
  if (route.auth !== 'public') for (const code of AUTH_ERRORS) codes.add(code);
  if (route.params !== undefined || route.query !== undefined || route.body !== undefined) {
    codes.add('invalid_request');
  }
  if (route.body !== undefined) for (const code of BODY_ERRORS) codes.add(code);
  if (route.auth === 'server') codes.add('server_auth_required');
  return [...codes];
}

/** `POST /channels/:type/:id/messages` → `postChannelsTypeIdMessages`. */
function operationId(route: RestRoute): string {
  const words = route.path
    .replace('.json', 'Json')
    .split('/')
    .filter(Boolean)
    .map((part) => part.replace(/^:/, ''));
  return (
    route.method.toLowerCase() + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')
  );
}
