import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { restRoutes, type RestRoute } from '@parley/protocol';
import { nestedDataJson } from '../helpers/nested-data.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import {
  expectDocumentedAnswer,
  expectStillServing,
  FUZZ_RUNS,
  FUZZ_SEED,
  FUZZ_TIMEOUT_MS,
  restoreModeration,
  restoreWorld,
  startFuzzWorld,
  type FuzzWorld,
} from './fuzz-fixture.js';
import { arbitraryOf, type FieldHints, type JsonSchema } from './json-schema-arbitrary.js';
import { multipartBodies } from './multipart-bodies.js';
import {
  bodiesAround,
  encodeQuery,
  queryAround,
  segmentAround,
  serialise,
  type FuzzBody,
} from './mutations.js';

interface FuzzRequest {
  /** `METHOD /path` of the route (a key of ROUTES), short in a counterexample. */
  route: string;
  token: keyof FuzzWorld['tokens'] | null;
  path: string;
  body: FuzzBody | null;
}

const ROUTES = new Map(
  (restRoutes as readonly RestRoute[]).map((r) => [`${r.method} ${r.path}`, r]),
);

const deep = nestedDataJson(10_000);
const known = (text: string): FuzzBody => ({ kind: 'known crasher', text });

/** Requests that once broke the server or its promises: run first, every time. */
const KNOWN_CRASHERS: FuzzRequest[] = [
  // Custom data nested deeper than JSON.stringify's stack: 500 before the depth limit.
  {
    route: 'POST /users',
    token: 'server',
    path: '/users',
    body: known(`{"users":[{"id":"deep","data":${deep}}]}`),
  },
  {
    route: 'PATCH /channels/:type/:id',
    token: 'owner',
    path: '/channels/team/fuzz',
    body: known(`{"set":${deep}}`),
  },
  {
    route: 'POST /channels/:type/:id/messages',
    token: 'owner',
    path: '/channels/team/fuzz/messages',
    body: known(`{"text":"hi","data":${deep}}`),
  },
  // The framework's own error bodies, before every error took Parley's shape.
  {
    route: 'GET /channels/:type/:id',
    token: 'owner',
    path: `/channels/team/${'x'.repeat(10_000)}`,
    body: null,
  },
  { route: 'GET /channels/:type/:id', token: 'owner', path: '/channels/team/%E0%A4%A', body: null },
  // A seq past 32 bits: 500 on PostgreSQL before since_seq was bounded.
  {
    route: 'GET /channels/:type/:id/events',
    token: 'member',
    path: '/channels/team/fuzz/events?since_seq=7545437742292985',
    body: null,
  },
];

/** Requests between two restorations of the world's users and channel. */
const RESTORE_EVERY = 10;

const inputSchema = (schema: z.ZodType): JsonSchema =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;

/**
 * Requests to one route with any caller: two in three from its schemas with the world's
 * ids (so they reach the code behind validation), one in three with every part mutated.
 */
function requestsTo(
  route: RestRoute,
  paramHints: FieldHints,
  hints: FieldHints,
): fc.Arbitrary<FuzzRequest> {
  const validSegments: Record<string, fc.Arbitrary<string>> = {};
  const mutatedSegments: Record<string, fc.Arbitrary<string>> = {};
  const params = route.params === undefined ? {} : (inputSchema(route.params).properties ?? {});
  for (const [name, schema] of Object.entries(params)) {
    // fetch resolves "." and ".." segments before sending: the request would reach another
    // route than the one it is judged against.
    const own = (arbitraryOf(schema) as fc.Arbitrary<string>).filter((v) => !/^\.{1,2}$/.test(v));
    const hint = paramHints[name] as fc.Arbitrary<string> | undefined;
    validSegments[name] = (hint ?? own).map((s) => encodeURIComponent(s));
    // An empty segment reaches another route too (`/users/` is `GET /users`).
    mutatedSegments[name] = segmentAround(hint === undefined ? own : fc.oneof(hint, own)).filter(
      (s) => s !== '',
    );
  }
  const query = route.query === undefined ? null : arbitraryOf(inputSchema(route.query), hints);
  const bodySchema = route.body === undefined ? null : inputSchema(route.body);
  const multipart = bodySchema !== null && route.bodyType === 'multipart';
  // An upload route gets forms of every layout; its mutations include JSON bodies, which
  // must be refused as documented.
  const body =
    bodySchema === null
      ? null
      : multipart
        ? multipartBodies(bodySchema, hints)
        : arbitraryOf(bodySchema, hints).map((v): FuzzBody => ({
            kind: 'valid',
            text: serialise(v),
          }));
  const token = fc.constantFrom('owner', 'owner', 'member', 'outsider', 'admin', 'server', null);
  const valid = fc.record({
    token,
    segments: fc.record(validSegments),
    query: query === null ? fc.constant('') : query.map(encodeQuery),
    body: body === null ? fc.constant(null) : body,
  });
  // One part mutated, the others as the schemas say, so that the mutation is what is judged.
  const mutated = fc.constantFrom('segments', 'query', 'body').chain((part) =>
    fc.record({
      token,
      segments: fc.record(part === 'segments' ? mutatedSegments : validSegments),
      query:
        query === null
          ? fc.constant('')
          : part === 'query'
            ? queryAround(query)
            : query.map(encodeQuery),
      body:
        bodySchema === null || body === null
          ? fc.constant(null)
          : part === 'body'
            ? multipart
              ? fc.oneof(body, bodiesAround(bodySchema, hints))
              : bodiesAround(bodySchema, hints)
            : body,
    }),
  );
  return fc
    .oneof({ weight: 1, arbitrary: valid }, { weight: 2, arbitrary: mutated })
    .map(({ token: t, segments: values, query: q, body: b }) => ({
      route: `${route.method} ${route.path}`,
      token: t as FuzzRequest['token'],
      path:
        route.path.replace(/:(\w+)/g, (_m, name: string) => values[name] ?? name) +
        (q === '' ? '' : `?${q}`),
      body: b,
    }));
}

/** Sends one request as it is; the answer's body parsed when it is JSON. */
async function send(world: FuzzWorld, request: FuzzRequest) {
  const headers: Record<string, string> = {};
  if (request.token !== null) headers.authorization = `Bearer ${world.tokens[request.token]}`;
  if (request.body !== null)
    headers['content-type'] = request.body.contentType ?? 'application/json';
  const res = await fetch(world.server.url + request.path, {
    method: ROUTES.get(request.route)!.method,
    headers,
    body:
      request.body === null
        ? undefined
        : request.body.bytes === undefined
          ? request.body.text
          : new Uint8Array(request.body.bytes),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // /metrics is text; anything else that is not JSON fails the check
  }
  return { status: res.status, body };
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: REST fuzz`, () => {
    let world: FuzzWorld;

    beforeAll(async () => {
      world = await startFuzzWorld(kind);
    });
    afterAll(async () => {
      await world?.server.close();
    });

    it(
      'answers generated requests as documented, never with a 5xx',
      async () => {
        const routes = restRoutes as readonly RestRoute[];
        const requests = fc.oneof(
          ...routes.map((route) => requestsTo(route, world.paramHints, world.hints)),
        );
        let sent = 0;
        await fc.assert(
          fc.asyncProperty(requests, async (request) => {
            if (++sent % RESTORE_EVERY === 0) await restoreWorld(world);
            if (sent % (RESTORE_EVERY * 5) === 0) await restoreModeration(world);
            const answer = await send(world, request);
            const { token, path, body } = request;
            const described = `${token ?? 'no token'} ${path} ${body?.kind ?? ''} ${body?.text ?? ''}`;
            expectDocumentedAnswer(ROUTES.get(request.route)!, answer, described);
          }),
          {
            numRuns: FUZZ_RUNS * routes.length,
            seed: FUZZ_SEED,
            endOnFailure: true,
            examples: KNOWN_CRASHERS.map((request) => [request]),
          },
        );
        await expectStillServing(world);
      },
      // Scaled by the routes: every route gets FUZZ_RUNS requests.
      FUZZ_TIMEOUT_MS * Math.max(1, restRoutes.length / 20),
    );
  });
}
