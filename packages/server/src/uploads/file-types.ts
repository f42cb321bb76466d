import { open } from 'node:fs/promises';
import type { AttachmentType } from '@parley/protocol';

/**
 * Raster images the server decodes and re-encodes (sharp), by sniffed type, with sharp's
 * name of the format. Only these are ever served inline; SVG is not among them (it can
 * carry script).
 */
export const RASTER_IMAGES: ReadonlyMap<string, 'jpeg' | 'png' | 'gif' | 'webp' | 'heif'> = new Map(
  [
    ['image/jpeg', 'jpeg'],
    ['image/png', 'png'],
    ['image/gif', 'gif'],
    ['image/webp', 'webp'],
    ['image/avif', 'heif'],
  ],
);

/** Bytes read to tell text from binary (and markup from text). */
const TEXT_SAMPLE_BYTES = 64 * 1024;

/**
 * The type of a file from its bytes, never from its name or the client's word:
 * `file-type`'s magic numbers first; a file without any is `text/plain` when it is UTF-8
 * without control characters, markup (`text/html`, `image/svg+xml`, `application/xml`)
 * when such text starts with a tag, and `application/octet-stream` otherwise.
 */
export async function sniffType(file: string): Promise<string> {
  // Loaded with the first upload (about 10 MB of memory a server without uploads keeps).
  const { fileTypeFromFile } = await import('file-type');
  const detected = await fileTypeFromFile(file);
  if (detected !== undefined) return detected.mime;
  const handle = await open(file, 'r');
  let sample: Buffer;
  try {
    const buffer = Buffer.alloc(TEXT_SAMPLE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    sample = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  return textType(sample);
}

function textType(sample: Buffer): string {
  let text: string;
  try {
    // `stream: true` lets the sample end inside a character.
    text = new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
  } catch {
    return 'application/octet-stream';
  }
  // Tab, line feed, form feed and carriage return are text; other controls are not.
  // eslint-disable-next-line no-control-regex -- control characters are what it looks for
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return 'application/octet-stream';
  const start = text.replace(/^\ufeff/, '').trimStart();
  // Browsers sniff markup from a tag at the start; so does this, and more eagerly.
  if (/^<[a-z!?/]/i.test(start)) {
    if (/<svg[\s>]/i.test(text)) return 'image/svg+xml';
    if (/^<\?xml/i.test(start) && !/<html[\s>]/i.test(text)) return 'application/xml';
    return 'text/html';
  }
  return 'text/plain';
}

/** Whether `mime` is in `allowed`, whose entries are types or families (`audio/*`). */
export function isAllowedType(mime: string, allowed: readonly string[]): boolean {
  const family = `${mime.split('/')[0]}/*`;
  return allowed.includes(mime) || allowed.includes(family);
}

/** How clients show a file of this type. */
export function attachmentTypeOf(mime: string): AttachmentType {
  if (RASTER_IMAGES.has(mime)) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return 'file';
}

/** Served inline (shown in the page): only raster images the server re-encoded. */
export function isInline(mime: string): boolean {
  return RASTER_IMAGES.has(mime);
}

/** Types whose players seek: they get `Range` answers. */
export function acceptsRanges(mime: string): boolean {
  return mime.startsWith('audio/') || mime.startsWith('video/') || mime === 'application/pdf';
}
