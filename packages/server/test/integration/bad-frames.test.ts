import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFrameError } from '../helpers/expect-error.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import type { TestClient } from '../helpers/test-client.js';
import { TestServer } from '../helpers/test-server.js';

/** Small limits, so that exceeding each one is cheap. */
const LIMITS = { maxMessageLength: 10, maxFrameBytes: 2_048, maxCustomDataBytes: 200 };

interface Issue {
  path: string;
  message: string;
}

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: bad WebSocket frames`, () => {
    let server: TestServer;
    const cid = 'team:frames';

    beforeAll(async () => {
      server = await TestServer.start(kind, { limits: LIMITS });
      await server.createUsers('alice', 'bob');
      await server.createChannel('team', 'frames', ['bob'], 'alice');
    });
    afterAll(async () => {
      await server?.close();
    });

    let alice: TestClient;
    beforeAll(async () => {
      alice = await server.connect('alice');
    });
    afterAll(async () => {
      await alice?.close();
    });

    /** The next error frame after those already received. */
    const nextError = (after: number) =>
      alice.waitFor((f) => f.type === 'error' && alice.frames.indexOf(f) >= after);

    it('answers a frame that is not JSON with invalid_json and keeps the socket', async () => {
      const seen = alice.frames.length;
      alice.sendRaw('{"type": "ping"');
      const error = await nextError(seen);
      expect(error.error.code).toBe('invalid_json');
      await alice.ping();
    });

    it('answers JSON that is not an object with a string type with invalid_request and its issues', async () => {
      const cases = [
        { raw: '[1, 2]', path: '' },
        { raw: '42', path: '' },
        { raw: 'null', path: '' },
        { raw: '"channel.watch"', path: '' },
        { raw: '{"type": 7}', path: 'type' },
        { raw: '{"type": null, "cid": "team:frames"}', path: 'type' },
        { raw: '{"type": ["ping"]}', path: 'type' },
      ];
      for (const { raw, path } of cases) {
        const seen = alice.frames.length;
        alice.sendRaw(raw);
        const { error } = await nextError(seen);
        expect(error.code).toBe('invalid_request');
        expect((error.details.issues as Issue[]).map((i) => i.path)).toEqual([path]);
      }
      const seen = alice.frames.length;
      alice.sendRaw('{"req_id": "typeless"}');
      const error = await nextError(seen);
      expect(error).toMatchObject({ req_id: 'typeless', error: { code: 'invalid_request' } });
      await alice.ping();
    });

    it('answers an unknown frame type with unknown_frame, echoing the req_id', async () => {
      const seen = alice.frames.length;
      alice.send({ type: 'channel.nuke', req_id: 'nuke-1', cid });
      const error = await nextError(seen);
      expect(error).toMatchObject({ req_id: 'nuke-1', error: { code: 'unknown_frame' } });
      await alice.ping();
    });

    it('answers a frame failing validation with invalid_request and its issues', async () => {
      await expectFrameError(
        alice.request({ type: 'message.send', cid, message: { text: 5 } }),
        'invalid_request',
      );
      await expectFrameError(
        alice.request({ type: 'channel.watch', cid: 'no cid' }),
        'invalid_request',
      );
      await expectFrameError(
        alice.request({ type: 'channel.watch', cid, surprise: true }),
        'invalid_request',
      );
      const seen = alice.frames.length;
      alice.send({ type: 'channel.events', req_id: 'ev-1', cid, since_seq: 'zero' });
      const error = await nextError(seen);
      expect(error.req_id).toBe('ev-1');
      expect((error.error.details.issues as Issue[]).map((i) => i.path)).toContain('since_seq');
    });

    it('answers a frame over maxFrameBytes with frame_too_large and keeps the socket open', async () => {
      const seen = alice.frames.length;
      alice.send({
        type: 'message.send',
        req_id: 'big-1',
        cid,
        message: { text: 'hi', data: { pad: 'x'.repeat(LIMITS.maxFrameBytes) } },
      });
      const error = await nextError(seen);
      expect(error.error.code).toBe('frame_too_large');
      await alice.ping();
    });

    it('answers a binary frame with invalid_request', async () => {
      const seen = alice.frames.length;
      alice.sendRaw(Buffer.from(JSON.stringify({ type: 'ping', req_id: 'bin' })));
      expect((await nextError(seen)).error.code).toBe('invalid_request');
      await alice.ping();
    });

    it('refuses over-long and empty text and unknown channels on the socket too', async () => {
      await expectFrameError(alice.sendMessage(cid, 'a'.repeat(11)), 'message_too_long');
      await expectFrameError(alice.sendMessage(cid, ' '), 'invalid_request');
      await expectFrameError(alice.watch('team:nowhere'), 'channel_not_found');
    });

    it('still works normally on the same socket after every bad frame', async () => {
      const sent = await alice.sendMessage(cid, 'still here');
      expect(sent.message.text).toBe('still here');
      expect(alice.socket.readyState).toBe(alice.socket.OPEN);
    });
  });
}
