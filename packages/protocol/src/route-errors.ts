import type { ErrorCode } from './error-codes.js';

/* Error codes that several routes share. */

// `banned`: from the channel (no reading); `muted`, `frozen`: no writing (see moderation).
export const channelRead: readonly ErrorCode[] = ['channel_not_found', 'not_member', 'banned'];
export const messageRead: readonly ErrorCode[] = ['message_not_found', 'not_member', 'banned'];
export const messageWrite: readonly ErrorCode[] = [
  ...messageRead,
  'forbidden',
  'message_deleted',
  'muted',
  'frozen',
];
export const channelManage: readonly ErrorCode[] = [
  'channel_not_found',
  'not_member',
  'forbidden',
  'banned',
];
