import { describe, expect, it } from 'vitest';
import { toWireAttachment, withFreshUrls } from './attachment-wire.js';
import { FileUrls } from './file-urls.js';

const SECRET = 'a-secret-of-at-least-32-characters-long!';
const T = Date.parse('2026-12-01T00:00:00Z');
const record = {
  id: 'f1',
  type: 'image',
  mime: 'image/png',
  size: 10,
  name: 'a.png',
  width: 4,
  height: 3,
  thumb: true,
} as const;

describe('attachments on the wire', () => {
  it('signs a stored event’s file URLs again, so that a recovered event’s links work', () => {
    const then = new FileUrls(SECRET, 3600, () => T);
    const stored = {
      type: 'message.new',
      message: { id: 'm1', attachments: [toWireAttachment(record, then)] },
    };
    const later = T + 5 * 3600_000;
    const now = new FileUrls(SECRET, 3600, () => later);
    const fresh = withFreshUrls(stored, now);
    const [attachment] = fresh.message.attachments;
    const exp = (url: string) => Number(new URL(url, 'http://x').searchParams.get('exp'));
    expect(exp(attachment!.url) * 1000).toBeGreaterThan(later);
    expect(exp(attachment!.thumb_url!) * 1000).toBeGreaterThan(later);
    const sig = new URL(attachment!.url, 'http://x').searchParams.get('sig')!;
    expect(now.verify('f1', 'original', exp(attachment!.url), sig)).toBe('ok');
    // The stored payload is left as it was.
    expect(stored.message.attachments[0]!.url).not.toBe(attachment!.url);
  });

  it('leaves an event without files as it is', () => {
    const payload = { type: 'message.read', seq: 3 };
    expect(withFreshUrls(payload, new FileUrls(SECRET, 60))).toBe(payload);
  });

  it('gives no size, dimensions or thumbnail an upload does not have', () => {
    const file = {
      ...record,
      type: 'file',
      mime: 'application/pdf',
      width: null,
      height: null,
      thumb: false,
    } as const;
    const wire = toWireAttachment(file, new FileUrls(SECRET, 60, () => T));
    expect(Object.keys(wire).sort()).toEqual(['id', 'mime', 'name', 'size', 'type', 'url']);
  });
});
