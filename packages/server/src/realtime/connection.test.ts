import { Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { CloseCode } from '@parley/protocol';
import { Connection } from './connection.js';
import { textFrame } from './text-frame.js';

const LIMIT = 1_000;

/** A TCP socket that records its writes, and the ws socket above it. */
function fakeSockets() {
  const writes: Buffer[][] = [];
  const stream = new Writable({
    writev(chunks, callback) {
      writes.push(chunks.map((c) => c.chunk as Buffer));
      callback();
    },
    write(chunk: Buffer, _encoding, callback) {
      writes.push([chunk]);
      callback();
    },
  });
  const ws = {
    OPEN: 1,
    readyState: 1,
    // What the peer has not taken yet: set by each test.
    backlog: 0,
    get bufferedAmount() {
      return this.backlog + stream.writableLength;
    },
    closedWith: null as number | null,
    send(data: string | Buffer) {
      stream.write(textFrame(data.toString()));
    },
    close(code: number) {
      this.closedWith = code;
      this.readyState = 2;
    },
  };
  const connection = new Connection(
    'c1',
    { id: 'u1' } as Connection['user'],
    ws as unknown as WebSocket,
    stream,
    LIMIT,
  );
  return { connection, ws, writes };
}

const tickEnd = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Connection', () => {
  it('writes the frames it gets in one tick together, in the order sent, once the tick ends', async () => {
    const { connection, writes } = fakeSockets();
    const frames = [1, 2, 3].map((n) => textFrame(JSON.stringify({ n })));
    for (const frame of frames) expect(connection.sendFrame(frame)).toBe(true);
    expect(connection.sendRaw('{"n":4}')).toBe(true);
    expect(writes).toEqual([]);
    await tickEnd();
    expect(writes).toEqual([[...frames, textFrame('{"n":4}')]]);
    connection.sendFrame(frames[0]!);
    await tickEnd();
    expect(writes).toHaveLength(2);
  });

  it('closes a connection that has more than the limit waiting with 4002 (slow consumer)', async () => {
    const { connection, ws, writes } = fakeSockets();
    ws.backlog = LIMIT + 1;
    expect(connection.sendFrame(textFrame('{}'))).toBe(false);
    expect(ws.closedWith).toBe(CloseCode.SlowConsumer);
    expect(connection.sendFrame(textFrame('{}'))).toBe(false);
    await tickEnd();
    expect(writes).toEqual([]);
  });

  it('does not count the frames of the current tick against the limit', async () => {
    const { connection, ws, writes } = fakeSockets();
    const big = textFrame(JSON.stringify({ text: 'x'.repeat(LIMIT) }));
    for (let i = 0; i < 5; i++) expect(connection.sendFrame(big)).toBe(true);
    expect(ws.closedWith).toBeNull();
    await tickEnd();
    expect(writes.flat()).toHaveLength(5);
  });
});
