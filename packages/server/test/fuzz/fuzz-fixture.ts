import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { expect } from 'vitest';
import {
  TEAM_PERMISSIONS,
  errorBodySchema,
  errorStatus,
  type ErrorCode,
  type RestRoute,
} from '@parley/protocol';
import { errorCodes } from '../../src/api-docs/openapi.js';
import { API_DOC_FILES } from '../../src/api-docs/write-api-docs.js';
import type { StorageKind } from '../helpers/storages.js';
import { TestServer } from '../helpers/test-server.js';
import type { FieldHints } from './json-schema-arbitrary.js';

/** Runs per route or frame type: small in `npm test`; PARLEY_FUZZ_RUNS=2000 for a long hunt. */
export const FUZZ_RUNS = Number(process.env.PARLEY_FUZZ_RUNS ?? 30);
/** Room for a long hunt; the default runs take a few seconds. */
export const FUZZ_TIMEOUT_MS = Math.max(60_000, FUZZ_RUNS * 1_500);
/** A fixed seed, so that a failure in CI is reproduced by running the same commit. */
export const FUZZ_SEED = Number(process.env.PARLEY_FUZZ_SEED ?? 20261205);

/** Codes any route may answer before it runs (see the OpenAPI description's summary). */
const ANY_ROUTE: readonly ErrorCode[] = ['not_found', 'uri_too_long', 'invalid_request'];

const openApi = JSON.parse(readFileSync(API_DOC_FILES.openapi, 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, any> }>>;
  components: unknown;
};
export const webSocketSchema = JSON.parse(readFileSync(API_DOC_FILES.websocket, 'utf8')) as {
  $defs: Record<string, any>;
};

const ajv = new Ajv2020({ strict: false, allErrors: false });
ajv.addSchema(webSocketSchema, 'ws');
const responseValidators = new Map<string, ValidateFunction>();

/** The validator of a route's documented JSON answer for a status, if it documents one. */
function documentedAnswer(route: RestRoute, status: number): ValidateFunction | null {
  const key = `${route.method} ${route.path} ${status}`;
  if (!responseValidators.has(key)) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const answer = openApi.paths[path]?.[route.method.toLowerCase()]?.responses[String(status)];
    const schema = answer?.content?.['application/json']?.schema;
    if (schema === undefined) return null;
    responseValidators.set(key, ajv.compile({ ...schema, components: openApi.components }));
  }
  return responseValidators.get(key)!;
}

/** The validator of one definition of docs/websocket.schema.json. */
export function frameValidator(def: string): ValidateFunction {
  const validate = ajv.getSchema(`ws#/$defs/${def}`);
  if (validate === undefined) throw new Error(`no ${def} in the WebSocket schema`);
  return validate;
}

/**
 * What every answer must be: no 5xx; an error in Parley's shape, with a documented code
 * whose status is the one documented, and one the route's description lists; a success
 * as documented for its status.
 */
export function expectDocumentedAnswer(
  route: RestRoute,
  res: { status: number; body: unknown },
  sent: string,
): void {
  const where = `${route.method} ${route.path} <- ${sent.slice(0, 300)}`;
  expect(res.status, where).toBeLessThan(500);
  if (res.status >= 400) {
    const parsed = errorBodySchema.strict().safeParse(res.body);
    expect(parsed.success, `${where}: not Parley's error shape: ${JSON.stringify(res.body)}`).toBe(
      true,
    );
    const { code } = parsed.data!.error;
    expect(errorStatus[code], `${where}: ${code}`).toBe(res.status);
    const documented = new Set([...errorCodes(route), ...ANY_ROUTE]);
    expect(documented.has(code), `${where}: ${code} is not documented for this route`).toBe(true);
    expect(JSON.stringify(res.body)).not.toMatch(/\.(?:js|ts):\d+/);
    return;
  }
  expect(Object.keys(route.responses).map(Number), where).toContain(res.status);
  const validate = documentedAnswer(route, res.status);
  if (validate !== null) {
    expect(validate(res.body), `${where}: ${JSON.stringify(validate.errors)}`).toBe(true);
  }
}

/** A server with users, channels and messages for requests to find, and no rate limits. */
export interface FuzzWorld {
  server: TestServer;
  tokens: { owner: string; member: string; outsider: string; admin: string; server: string };
  /** For path segments, by parameter name. */
  paramHints: FieldHints;
  /** For fields of bodies, queries and frames, by field name. */
  hints: FieldHints;
  messageIds: string[];
}

export async function startFuzzWorld(kind: StorageKind): Promise<FuzzWorld> {
  const server = await TestServer.start(kind, {
    limits: { messagesPerWindow: 0, requestsPerWindow: 0, uploadsPerWindow: 0 },
  });
  await server.createUsers('alice', 'bob', 'carol');
  const admin = await server.api('POST', '/users', {
    body: { users: [{ id: 'root', role: 'admin' }] },
  });
  if (admin.status !== 200) throw new Error(`admin: ${admin.status}`);
  await server.createChannel('team', 'fuzz', ['bob'], 'alice');
  await server.createChannel('team', 'other', ['bob', 'carol'], 'carol');
  const messageIds: string[] = [];
  for (const text of ['first', 'second', 'third']) {
    const sent = await server.api('POST', '/channels/team/fuzz/messages', {
      body: { text, user_id: 'alice' },
    });
    messageIds.push(sent.body.message.id as string);
  }
  const users = ['alice', 'bob', 'carol', 'root', 'nobody'];
  const paramHints: FieldHints = {
    type: fc.constantFrom('team', 'team', 'messaging'),
    id: fc.constantFrom('fuzz', 'fuzz', 'other', 'new-one', ...users),
  };
  const hints: FieldHints = {
    id: fc.constantFrom(...messageIds, 'new-id'),
    text: fc.oneof(
      fc.constantFrom('hello', 'see you at 10', '会议室在三楼', 'مرحبا', '👋🏽'),
      fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }),
    ),
    cid: fc.constantFrom('team:fuzz', 'team:fuzz', 'team:fuzz', 'team:other', 'team:none'),
    user_id: fc.constantFrom(...users),
    created_by_id: fc.constantFrom(...users),
    user_ids: fc.subarray(users, { minLength: 1 }),
    members: fc.subarray(users, { minLength: 1 }),
    message_id: fc.constantFrom(...messageIds, 'missing-id'),
    before: fc.constantFrom(...messageIds),
    after: fc.constantFrom(...messageIds),
    around: fc.constantFrom(...messageIds),
  };
  return {
    server,
    tokens: {
      owner: await server.tokenFor('alice'),
      member: await server.tokenFor('bob'),
      outsider: await server.tokenFor('carol'),
      admin: await server.tokenFor('root'),
      server: server.serverToken,
    },
    paramHints,
    hints,
    messageIds,
  };
}

/**
 * Puts the world back as it began (a run may delete the channel, remove its members or
 * make someone an admin), so that later requests still reach past "not found".
 */
export async function restoreWorld({ server }: FuzzWorld): Promise<void> {
  const calls: [string, string, unknown][] = [
    [
      'POST',
      '/users',
      {
        users: [
          ...['alice', 'bob', 'carol'].map((id) => ({ id, role: 'user' })),
          { id: 'root', role: 'admin' },
        ],
      },
    ],
    ['POST', '/channels/team/fuzz', { created_by_id: 'alice', members: ['bob'] }],
    ['POST', '/channels/team/fuzz/members', { user_ids: ['alice'], role: 'owner' }],
    ['POST', '/channels/team/fuzz/members', { user_ids: ['bob'] }],
    ['DELETE', '/channels/team/fuzz/members', { user_ids: ['carol'] }],
  ];
  for (const [method, path, body] of calls) {
    const res = await server.api(method, path, { body });
    if (res.status >= 300)
      throw new Error(`restore ${method} ${path}: ${JSON.stringify(res.body)}`);
  }
}

/**
 * Undoes what generated moderation calls leave behind (bans, mutes, a frozen channel, a
 * changed `team` type), so that later requests reach more than refusals. Answers are not
 * checked: most of these find nothing to undo.
 */
export async function restoreModeration({ server }: FuzzWorld): Promise<void> {
  for (const user of ['alice', 'bob', 'carol', 'root']) {
    await server.api('DELETE', '/moderation/ban', { body: { target_user_id: user } });
    for (const kind of ['ban', 'mute']) {
      await server.api('DELETE', `/moderation/${kind}`, {
        body: { target_user_id: user, cid: 'team:fuzz' },
      });
    }
  }
  await server.api('DELETE', '/channels/team/fuzz/freeze', { body: {} });
  await server.api('PATCH', '/channel-types/team', {
    body: {
      permissions: TEAM_PERMISSIONS,
      max_message_length: null,
      slow_mode_s: 0,
      blocklist: [],
    },
  });
}

/** After a fuzz run: the server still answers, and a watcher still gets new messages. */
export async function expectStillServing(world: FuzzWorld): Promise<void> {
  const { server } = world;
  expect((await server.api('GET', '/health')).status).toBe(200);
  await server.createChannel('team', 'after-the-storm', ['bob'], 'alice');
  const watcher = await server.connect('bob');
  try {
    await watcher.watch('team:after-the-storm');
    const sent = await server.api('POST', '/channels/team/after-the-storm/messages', {
      body: { text: 'after the storm', user_id: 'alice' },
    });
    expect(sent.status).toBe(201);
    const event = await watcher.waitFor(
      (f) => f.type === 'message.new' && f.message.id === sent.body.message.id,
    );
    expect(event.message.text).toBe('after the storm');
  } finally {
    await watcher.close();
  }
}
