import { ChatError } from '@parley/protocol';
import type { ChannelRecord, Storage, UserRecord } from '../storage/storage.js';
import type { Actor } from './context.js';

// Who may do what in a channel is decided in one place: permissions/access-control.ts.

/** Throws unless the caller holds the secret. */
export function requireServer(actor: Actor): void {
  if (actor.kind !== 'server') {
    throw new ChatError('server_auth_required', 'this call needs the server credential');
  }
}

/** Operators' reads (audit log, analytics): the server, or a user whose app role is admin. */
export function requireServerOrAdmin(actor: Actor): void {
  if (actor.kind === 'user' && actor.user.role !== 'admin') {
    throw new ChatError(
      'server_auth_required',
      'this call needs the server credential or an admin',
    );
  }
}

/**
 * The user a call acts for. A user token acts for its own user (a body naming another user
 * is refused); a server call names the user in the body.
 */
export function actingUserId(actor: Actor, claimed: string | undefined): string;
export function actingUserId(
  actor: Actor,
  claimed: string | undefined,
  optional: true,
): string | null;
export function actingUserId(
  actor: Actor,
  claimed: string | undefined,
  optional?: true,
): string | null {
  if (actor.kind === 'user') {
    if (claimed !== undefined && claimed !== actor.user.id) {
      throw new ChatError('user_mismatch', `the token is for ${actor.user.id}, not ${claimed}`);
    }
    return actor.user.id;
  }
  if (claimed === undefined) {
    if (optional) return null;
    throw new ChatError('invalid_request', 'server-side calls must name the user in user_id');
  }
  return claimed;
}

export async function requireChannel(storage: Storage, cid: string): Promise<ChannelRecord> {
  const channel = await storage.getChannel(cid);
  if (channel === null) throw new ChatError('channel_not_found', `channel ${cid} does not exist`);
  return channel;
}

export async function requireUser(storage: Storage, id: string): Promise<UserRecord> {
  const [user] = await storage.getUsers([id]);
  if (user === undefined) throw new ChatError('user_not_found', `user ${id} does not exist`);
  return user;
}

/** Checks a text's length in code points, so an emoji counts as one character. */
export function checkText(text: string, max: number): void {
  if (text.trim().length === 0) {
    throw new ChatError('invalid_request', 'text must not be empty');
  }
  // Cheap bound first: code points never outnumber UTF-16 units.
  if (text.length > max && [...text].length > max) {
    throw new ChatError('message_too_long', `text is longer than ${max} characters`, {
      max_length: max,
    });
  }
}

/** Checks a custom data object's serialised size. */
export function checkData(data: Record<string, unknown> | undefined, maxBytes: number): void {
  if (data === undefined) return;
  const bytes = Buffer.byteLength(JSON.stringify(data));
  if (bytes > maxBytes) {
    throw new ChatError(
      'custom_data_too_large',
      `data is ${bytes} bytes; the limit is ${maxBytes}`,
      {
        max_bytes: maxBytes,
      },
    );
  }
}
