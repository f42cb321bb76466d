import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/** Files the upload tests send, made here so that what each holds is plain to see. */

/** A PNG of `width` × `height` in one colour. */
export function png(width = 64, height = 48): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3366cc' } })
    .png()
    .toBuffer();
}

/** GPS coordinates a phone would write; none of it may survive an upload. */
export const GPS_TEXT = 'ParleyTestCamera';

/**
 * A JPEG 60 wide and 40 high whose EXIF says "rotate 90° clockwise" (orientation 6), so it
 * shows 40 × 60, and that carries a camera model and GPS position.
 */
export function jpegWithExif(): Promise<Buffer> {
  return (
    sharp({ create: { width: 60, height: 40, channels: 3, background: '#cc3333' } })
      .jpeg()
      // (sharp writes its own orientation tag, so it is set apart from the other EXIF.)
      .withMetadata({ orientation: 6 })
      .withExif({
        IFD0: { Model: GPS_TEXT },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 24/1', GPSLongitudeRef: 'E' },
      })
      .toBuffer()
  );
}

/** A page of HTML with script, as a browser would run it. */
export const HTML = Buffer.from(
  '<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>',
);

/** An SVG with script. */
export const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
);

/** A valid PNG with an HTML page after its end: a browser sniffing the bytes could run it. */
export async function pngHtmlPolyglot(): Promise<Buffer> {
  return Buffer.concat([await png(16, 16), HTML]);
}

/** A GIF header followed by script: the magic of an image, the body of a JavaScript file. */
export const GIF_SCRIPT_POLYGLOT = Buffer.from(
  'GIF89a/*\x01\x01\x00\x00*/=1;alert(document.domain);//',
);

/**
 * A PNG of tiny size whose header says 40,000 × 40,000 pixels (1.6 gigapixels, 1.6 GB once
 * decoded): a decompression bomb. Its data is a few rows of zeros, compressed.
 */
export function decompressionBombPng(side = 40_000): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = deflateSync(Buffer.alloc((side + 1) * 4));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', rows),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The smallest PDF readers open: one empty page. */
export const PDF = Buffer.from(
  [
    '%PDF-1.4',
    '1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj',
    '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj',
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj',
    'trailer<</Root 1 0 R>>',
    '%%EOF',
    '',
  ].join('\n'),
);

/** Plain text of `size` bytes. */
export function text(size: number): Buffer {
  return Buffer.alloc(size, 'speaker notes\n');
}

/** A Linux executable's first bytes. */
export const ELF = Buffer.concat([
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]),
  Buffer.alloc(120),
]);
