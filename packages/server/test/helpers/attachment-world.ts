import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PDF, png } from './upload-fixtures.js';
import { startRichWorld, type RichWorld } from './rich-world.js';
import type { StorageKind } from './storages.js';

/**
 * The rich-message cast (see rich-world.ts) with uploads: `upload(user, file?)` stores a
 * file for the channel (or `cid`) as that user and answers its attachment.
 */
export async function startAttachmentWorld(kind: StorageKind, name: string, options = {}) {
  const w = await startRichWorld(kind, name, options);
  const upload = async (
    user: string,
    file: { bytes: Uint8Array; name: string } = { bytes: PDF, name: 'slides.pdf' },
    cid = w.cid,
  ) => {
    const res = await w.server.upload(cid, file, w.as(user));
    if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Record<string, any>;
  };
  const image = async (user: string) => upload(user, { bytes: await png(), name: 'photo.png' });
  /** Files in the blob store's folder (the disk store), as paths relative to it. */
  const storedFiles = async () => {
    const root = join(w.server.server.config.dataDir, 'files');
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isFile()).map((e) => e.name);
  };
  return { ...w, upload, image, storedFiles };
}

export type AttachmentWorld = RichWorld & Awaited<ReturnType<typeof startAttachmentWorld>>;
