import type { ChatError } from '@parley/protocol/codes';
import type { Message } from '@parley/protocol';
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

/** A stored message as shown. */
export const sent = (message: Message): LocalMessage => ({ ...message, status: 'sent' });
