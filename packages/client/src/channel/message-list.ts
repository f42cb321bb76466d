import type { ChatError } from '@parley/protocol/codes';
import type { Message } from '@parley/protocol';

/**
 * A message as a channel shows it. A pending one (`sending`, or `failed` with its `error`)
 * has `seq` 0 and the current user as author until the server stores it.
 */
export type LocalMessage = Message & {
  status: 'sending' | 'sent' | 'failed';
  error?: ChatError;
};

/** A stored message as shown. */
export const sent = (message: Message): LocalMessage => ({ ...message, status: 'sent' });
