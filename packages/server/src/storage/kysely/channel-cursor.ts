import type { ChannelCursor, ChannelRecord } from '../storage.js';

/**
 * The cursor that continues the channel list after `channel`. Its activity is the last
 * message time, else the creation time, exactly as storage sorts it.
 */
export function channelCursorOf(channel: ChannelRecord): ChannelCursor {
  return { activityAt: channel.lastMessageAt ?? channel.createdAt, cid: channel.cid };
}
