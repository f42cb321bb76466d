import type { ChatError } from '@parley/protocol/codes';
import type { Message, User } from '@parley/protocol';
import type { PendingUpload } from '../uploads/queued-file.js';

/**
 * A message as a channel shows it. A pending one (`sending`, or `failed` with its `error`)
 * has `seq` 0 and the current user as author until the server stores it.
 */
export type LocalMessage = Message & {
  status: 'sending' | 'sent' | 'failed';
  error?: ChatError;
  /** A pending message's files and how much of each is uploaded. */
  uploads?: PendingUpload[];
};

/** The last author object seen per user id: equal ones are shown as that one object. */
const authors = new Map<string, User>();

/**
 * A stored message as shown. A window holds many messages of few authors: each shares one
 * author object while it is unchanged, a third of what a message keeps in memory.
 */
export function sent(message: Message): LocalMessage {
  // `status` first: set after the spread, it gave each copy a V8 map of its own (400 bytes).
  const shown: LocalMessage = { status: 'sent', ...message };
  shown.status = 'sent';
  const { user } = message;
  if (user != null) {
    const held = authors.get(user.id);
    if (held !== undefined && same(held, user, 2)) shown.user = held;
    else {
      if (authors.size > 999) authors.clear();
      authors.set(user.id, user);
    }
  }
  return shown;
}

/** Equal JSON values, looked into `depth` levels of objects deep. */
function same(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (!depth || typeof a != 'object' || typeof b != 'object' || !a || !b) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const key in x) if (!same(x[key], y[key], depth - 1)) return false;
  for (const key in y) if (!(key in x)) return false;
  return true;
}
