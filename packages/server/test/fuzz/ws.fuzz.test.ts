import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientFrameTypes, ErrorCode } from '@parley/protocol';
import { nestedDataJson } from '../helpers/nested-data.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import type { Frame, TestClient } from '../helpers/test-client.js';
import {
  expectStillServing,
  frameValidator,
  FUZZ_RUNS,
  FUZZ_SEED,
  FUZZ_TIMEOUT_MS,
  restoreWorld,
  startFuzzWorld,
  webSocketSchema,
  type FuzzWorld,
} from './fuzz-fixture.js';
import type { JsonSchema } from './json-schema-arbitrary.js';
import { bodiesAround, type FuzzBody } from './mutations.js';

/** Frames between two restorations of the world's users and channel. */
const RESTORE_EVERY = 25;

/** Frames that once broke the server or its promises: run first, every time. */
const KNOWN_CRASHERS: string[] = [
  // Custom data nested deeper than JSON.stringify's stack: internal_error before the limit.
  `{"type":"message.send","req_id":"k1","cid":"team:fuzz","message":{"text":"hi","data":${nestedDataJson(10_000)}}}`,
  // A seq past the databases' 32-bit integers: internal_error on PostgreSQL before.
  '{"type":"channel.events","req_id":"k3","cid":"team:fuzz","since_seq":7545437742292985}',
];

/** Codes that would mean the server, not the frame, failed. */
const SERVER_FAULTS = new Set<string>([ErrorCode.InternalError, ErrorCode.StorageUnavailable]);
const SERVER_FRAMES = [
  'ConnectionOkFrame',
  'ResponseFrame',
  'ErrorFrame',
  'PongFrame',
  'ServerEvent',
];

/** The request a frame text makes, as far as it can be read: its type and req_id. */
function readRequest(text: string): { type?: unknown; req_id?: unknown } {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : {};
  } catch {
    return {};
  }
}

/**
 * What the server sends back must be described by docs/websocket.schema.json; an error
 * must not be a server fault; a response must be the documented result of its request.
 */
function expectDescribedAnswers(frame: FuzzBody, answers: Frame[]): void {
  const where = `${frame.kind}: ${frame.text.slice(0, 300)}`;
  const request = readRequest(frame.text);
  const known = (clientFrameTypes as readonly unknown[]).includes(request.type);
  for (const answer of answers) {
    const described = SERVER_FRAMES.some((def) => frameValidator(def)(answer));
    expect(described, `${where} -> ${JSON.stringify(answer).slice(0, 300)}`).toBe(true);
    if (answer.type === 'error') {
      expect(SERVER_FAULTS.has(answer.error.code), `${where} -> ${answer.error.code}`).toBe(false);
    }
    if (answer.type === 'response' && answer.req_id === request.req_id && known) {
      const validate = frameValidator(`Result:${String(request.type)}`);
      expect(validate(answer.result), `${where}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  }
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: WebSocket fuzz`, () => {
    let world: FuzzWorld;
    let alice: TestClient;

    beforeAll(async () => {
      world = await startFuzzWorld(kind);
      alice = await world.server.connect('alice');
    });
    afterAll(async () => {
      await alice?.close();
      await world?.server.close();
    });

    const property = async (frame: FuzzBody) => {
      const before = alice.frames.length;
      alice.sendRaw(frame.text);
      // One socket is ordered: once the pong is back, every answer to the frame is too.
      await alice.ping();
      expect(alice.socket.readyState, frame.text.slice(0, 300)).toBe(alice.socket.OPEN);
      expectDescribedAnswers(frame, alice.frames.slice(before));
    };

    it(
      'answers generated frames with described frames, never a server fault, on an open socket',
      async () => {
        let sent = 0;
        const frames = bodiesAround(webSocketSchema.$defs.ClientFrame as JsonSchema, world.hints);
        await fc.assert(
          fc.asyncProperty(frames, async (frame) => {
            if (++sent % RESTORE_EVERY === 0) await restoreWorld(world);
            await property(frame);
          }),
          {
            numRuns: FUZZ_RUNS * clientFrameTypes.length,
            seed: FUZZ_SEED,
            endOnFailure: true,
            examples: KNOWN_CRASHERS.map((text) => [{ kind: 'known crasher', text }]),
          },
        );
        await expectStillServing(world);
      },
      FUZZ_TIMEOUT_MS,
    );
  });
}
