import type { AttachmentType } from '@parley/protocol';
import type { Kysely, Selectable } from 'kysely';
import type { UploadRecord } from '../storage.js';
import type { Database, UploadsTable } from './database.js';
import type { StorageAdapter } from './storage-adapter.js';

/** The advisory lock of the upload sweeper (any fixed number; Parley's only one so far). */
const SWEEP_LOCK = 0x70_61_72_6c; // "parl"

export async function createUpload(db: Kysely<Database>, upload: UploadRecord): Promise<void> {
  await db
    .insertInto('parley_uploads')
    .values({
      id: upload.id,
      cid: upload.cid,
      user_id: upload.userId,
      blob_key: upload.blobKey,
      thumb_key: upload.thumbKey,
      thumb_size: upload.thumbSize,
      mime: upload.mime,
      type: upload.type,
      size: upload.size,
      name: upload.name,
      width: upload.width,
      height: upload.height,
      created_at: upload.createdAt,
      message_id: upload.messageId,
    })
    .execute();
}

export async function getUpload(db: Kysely<Database>, id: string): Promise<UploadRecord | null> {
  const row = await db
    .selectFrom('parley_uploads')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? null : toUpload(row);
}

export function takeUnattachedUploads(
  db: Kysely<Database>,
  adapter: StorageAdapter,
  before: number,
  limit: number,
): Promise<UploadRecord[]> {
  return db.transaction().execute(async (trx) => {
    if (!(await adapter.tryTransactionLock(trx, SWEEP_LOCK))) return [];
    // `message_id is null` outside the subquery too: on PostgreSQL a row a message took
    // meanwhile is checked again once its lock is released, and kept.
    const rows = await trx
      .deleteFrom('parley_uploads')
      .where('message_id', 'is', null)
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('parley_uploads')
          .select('id')
          .where('message_id', 'is', null)
          .where('created_at', '<', before)
          .orderBy('created_at')
          .limit(limit),
      )
      .returningAll()
      .execute();
    return rows.map(toUpload).sort((a, b) => a.createdAt - b.createdAt);
  });
}

export function toUpload(row: Selectable<UploadsTable>): UploadRecord {
  return {
    id: row.id,
    cid: row.cid,
    userId: row.user_id,
    blobKey: row.blob_key,
    thumbKey: row.thumb_key,
    thumbSize: row.thumb_size,
    mime: row.mime,
    type: row.type as AttachmentType,
    size: row.size,
    name: row.name,
    width: row.width,
    height: row.height,
    createdAt: row.created_at,
    messageId: row.message_id,
  };
}
