import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { textFrame } from './text-frame.js';

// ws's frame parser, as its clients use it (@types/ws does not declare it).
const { Receiver } = createRequire(import.meta.url)('ws') as {
  Receiver: new (options: { isServer: boolean }) => EventEmitter & { write(chunk: Buffer): void };
};

function decode(frame: Buffer): Promise<{ text: string; isBinary: boolean }> {
  return new Promise((resolve, reject) => {
    const receiver = new Receiver({ isServer: false });
    receiver.on('message', (data: Buffer, isBinary: boolean) =>
      resolve({ text: data.toString('utf8'), isBinary }),
    );
    receiver.on('error', reject);
    receiver.write(frame);
  });
}

describe('textFrame', () => {
  for (const [name, length] of [
    ['short', 20],
    ['125-byte', 125],
    ['126-byte', 126],
    ['64 KiB - 1', 65_535],
    ['64 KiB', 65_536],
    ['large', 200_000],
  ] as const) {
    it(`frames a ${name} payload as a text message any WebSocket reader decodes`, async () => {
      // {"text":"…"} with two 2-byte characters: exactly `length` bytes of UTF-8.
      const json = JSON.stringify({ text: 'é'.repeat(2) + 'x'.repeat(Math.max(0, length - 15)) });
      const { text, isBinary } = await decode(textFrame(json));
      expect(Buffer.byteLength(json)).toBe(length);
      expect(isBinary).toBe(false);
      expect(text).toBe(json);
    });
  }
});
