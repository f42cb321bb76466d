import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createReadStream } from 'node:fs';
import { ChatError, type Attachment } from '@parley/protocol';
import type { BlobStore } from '../blobs/blob-store.js';
import { actingUserId, requireChannel } from '../services/access.js';
import type { Actor, ServiceContext } from '../services/context.js';
import type { UploadRecord } from '../storage/storage.js';
import { toAttachment } from './attachment-wire.js';
import { sanitizeFileName } from './file-name.js';
import { attachmentTypeOf, isAllowedType, RASTER_IMAGES, sniffType } from './file-types.js';
import type { FileUrls } from './file-urls.js';
import { processImage, THUMB_MIME } from './image-processing.js';
import { spool } from './spool.js';

/** An upload as the HTTP layer hands it over: checked fields, then the file's stream. */
export interface IncomingUpload {
  cid: string;
  userId: string | undefined;
  /** The name the client gave the file part. */
  fileName: string | undefined;
  /** Opens the file part; called only once the fields passed every check. */
  openFile(): Promise<Readable | null>;
}

/** Uploads: checks, spooling, sniffing, image processing, blobs and the record. */
export class UploadService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly blobs: BlobStore,
    private readonly urls: FileUrls,
    /** Folder for files being received (`<dataDir>/tmp`). */
    private readonly spoolRoot: string,
  ) {}

  /**
   * Stores an upload and answers its attachment. Nothing is kept of a refused or failed
   * upload: no blob, no record, no spooled file.
   */
  async upload(actor: Actor, incoming: IncomingUpload): Promise<Attachment> {
    const { storage, config } = this.ctx;
    const userId = actingUserId(actor, incoming.userId);
    const channel = await requireChannel(storage, incoming.cid);
    if (actor.kind === 'user') {
      await this.ctx.access.requireWriter(actor, channel, 'upload');
    } else if ((await storage.getMember(incoming.cid, userId)) === null) {
      // The server uploads for a user, who must be a member (as a send would require).
      throw new ChatError('not_member', `${userId} is not a member of ${incoming.cid}`);
    }
    if (actor.kind === 'user') await this.ctx.rateLimits.consumeUpload(userId);
    const source = await incoming.openFile();
    if (source === null) throw new ChatError('invalid_request', 'the form has no part "file"');

    await mkdir(this.spoolRoot, { recursive: true });
    const dir = await mkdtemp(path.join(this.spoolRoot, 'upload-'));
    const stored: string[] = [];
    try {
      const raw = path.join(dir, 'raw');
      const rawSize = await spool(source, raw, config.limits.maxUploadBytes);
      if (rawSize === 0) throw new ChatError('invalid_request', 'the file is empty');
      const mime = await sniffType(raw);
      if (!isAllowedType(mime, config.uploadTypes)) {
        throw new ChatError('file_type_not_allowed', `files of type ${mime} are not accepted`, {
          mime,
        });
      }
      const id = randomUUID();
      const blobKey = `${id.slice(0, 2)}/${id}`;
      const upload: UploadRecord = {
        id,
        cid: incoming.cid,
        userId,
        blobKey,
        thumbKey: null,
        thumbSize: null,
        mime,
        type: attachmentTypeOf(mime),
        size: rawSize,
        name: sanitizeFileName(incoming.fileName),
        width: null,
        height: null,
        createdAt: Date.now(),
        messageId: null,
      };
      let content = raw;
      if (RASTER_IMAGES.has(mime)) {
        const out = { image: path.join(dir, 'image'), thumb: path.join(dir, 'thumb') };
        const image = await processImage(raw, mime, out, config.limits.maxImagePixels);
        this.ctx.metrics.thumbnailSeconds.observe(image.thumbMs / 1000);
        content = out.image;
        Object.assign(upload, {
          size: image.size,
          width: image.width,
          height: image.height,
          thumbKey: `${blobKey}.thumb`,
          thumbSize: image.thumbSize,
        });
        await this.put(upload.thumbKey!, out.thumb, image.thumbSize, THUMB_MIME, stored);
      }
      await this.put(blobKey, content, upload.size, mime, stored);
      await storage.createUpload(upload);
      this.ctx.metrics.uploads.inc({ type: upload.type });
      return toAttachment(upload, this.urls);
    } catch (error) {
      if (stored.length > 0) {
        await this.blobs.delete(stored).catch((err: unknown) => {
          this.ctx.logger.error(
            { err, keys: stored },
            'could not remove the blobs of a failed upload',
          );
        });
      }
      throw error;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async put(key: string, file: string, size: number, mime: string, stored: string[]) {
    await this.blobs.put(key, createReadStream(file), { size, contentType: mime });
    stored.push(key);
  }
}
