import { randomUUID } from 'node:crypto';
import type { AuditRecord } from '../storage/moderation-records.js';

/** An audit log entry for an action taken now by `actorId` (null: the server). */
export function auditEntry(
  actorId: string | null,
  action: string,
  at: number,
  fields: Partial<Omit<AuditRecord, 'id' | 'createdAt' | 'action' | 'actorId'>>,
): AuditRecord {
  return {
    id: randomUUID(),
    createdAt: at,
    action,
    actorId,
    targetUserId: fields.targetUserId ?? null,
    cid: fields.cid ?? null,
    messageId: fields.messageId ?? null,
    reason: fields.reason ?? null,
    data: fields.data ?? {},
  };
}
