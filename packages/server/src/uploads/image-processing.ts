import { ChatError } from '@parley/protocol';
import type * as SharpModule from 'sharp';
import type { Metadata, Sharp } from 'sharp';
import { RASTER_IMAGES } from './file-types.js';

/** Thumbnails fit in this square, as WebP. */
export const THUMB_SIZE = 320;
export const THUMB_MIME = 'image/webp';

/** A re-encoded image and its thumbnail, written next to the upload. */
export interface ProcessedImage {
  width: number;
  height: number;
  /** Bytes of the re-encoded image at `output`. */
  size: number;
  thumbSize: number;
  /** How long the thumbnail took, in ms (a metric). */
  thumbMs: number;
}

/** sharp (libvips, about 30 MB of memory) is loaded with the first image. */
let loaded: Promise<typeof SharpModule> | null = null;
function loadSharp(): Promise<typeof SharpModule> {
  return (loaded ??= import('sharp').then((module) => {
    // Files are read once and written once: libvips' operation cache would only hold memory.
    module.default.cache(false);
    return module;
  }));
}

/**
 * Re-encodes an image in its own format with the EXIF orientation applied and every
 * metadata block (EXIF with GPS, XMP, IPTC, comments) dropped, and makes a thumbnail.
 * Whatever followed the image data in the file (a polyglot's second payload) does not
 * survive. Refuses images with more than `maxPixels` pixels (all frames together) before
 * decoding them, and files that do not decode as the format their bytes claimed.
 */
export async function processImage(
  input: string,
  mime: string,
  output: { image: string; thumb: string },
  maxPixels: number,
): Promise<ProcessedImage> {
  const format = RASTER_IMAGES.get(mime);
  if (format === undefined) throw new Error(`${mime} is not a raster image`);
  const { default: sharp } = await loadSharp();
  const options = { limitInputPixels: maxPixels, failOn: 'error' as const };
  let meta: Metadata;
  try {
    // Only the header is read here, so no pixel limit yet: the check below says why it refuses.
    meta = await sharp(input, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch {
    throw notAnImage(mime);
  }
  // libvips also reads SVG, PDF and more: only the format the bytes were sniffed as goes on.
  if (meta.format !== format) throw notAnImage(mime);
  const pixels = (meta.width ?? 0) * (meta.height ?? 0) * (meta.pages ?? 1);
  if (pixels > maxPixels || pixels === 0) {
    throw new ChatError(
      'file_too_large',
      `the image has ${pixels} pixels; the limit is ${maxPixels}`,
      { max_pixels: maxPixels },
    );
  }
  const animated = (meta.pages ?? 1) > 1;
  try {
    let image = sharp(input, { ...options, animated });
    // Animations have no orientation to apply (and libvips rotates one frame at a time).
    if (!animated) image = image.autoOrient();
    const written = await encode(image, format).toFile(output.image);
    const started = performance.now();
    const thumb = await sharp(output.image, options)
      .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 75 })
      .toFile(output.thumb);
    return {
      width: written.width,
      height: animated ? (meta.pageHeight ?? meta.height ?? written.height) : written.height,
      size: written.size,
      thumbSize: thumb.size,
      thumbMs: performance.now() - started,
    };
  } catch (error) {
    if (error instanceof ChatError) throw error;
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw new ChatError('file_too_large', `the image has more than ${maxPixels} pixels`, {
        max_pixels: maxPixels,
      });
    }
    throw notAnImage(mime);
  }
}

function encode(image: Sharp, format: 'jpeg' | 'png' | 'gif' | 'webp' | 'heif') {
  switch (format) {
    case 'jpeg':
      return image.jpeg({ quality: 90 });
    case 'png':
      return image.png();
    case 'gif':
      return image.gif();
    case 'webp':
      return image.webp({ quality: 90 });
    case 'heif':
      return image.avif({ quality: 70, effort: 2 });
  }
}

function notAnImage(mime: string): ChatError {
  return new ChatError(
    'file_type_not_allowed',
    `the file starts like ${mime} but is not a valid image`,
  );
}
