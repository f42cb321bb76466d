import type { ChannelPermissions, ChannelTypeOptions } from '@parley/server-sdk';

/** Everyone in the conversation. */
const EVERYONE: ChannelPermissions['send'] = ['owner', 'moderator', 'member', 'admin'];
/** The organizer (the channel's owner, made so by ATAS), moderators, and Parley admins. */
const MODERATORS: ChannelPermissions['send'] = ['owner', 'moderator', 'admin'];
/** Parley admins only (ATAS admins are Parley admins); ATAS itself acts as the server. */
const ADMINS: ChannelPermissions['send'] = ['admin'];

/**
 * What people may do in ATAS's conversations. The organizer of a request or an event is
 * its channel's owner: a moderator there, who deletes others' messages, pins, mutes and
 * handles flags. Speakers talk. Who is in a conversation and its data (the invitation, the
 * read-only mark, the event's name) are ATAS's to change, through the server: no user adds
 * members, renames or deletes the channel.
 */
const CONVERSATION_PERMISSIONS: ChannelPermissions = {
  send: EVERYONE,
  reply: EVERYONE,
  react: EVERYONE,
  upload: EVERYONE,
  mention: EVERYONE,
  edit_others: [],
  delete_others: MODERATORS,
  hard_delete: ADMINS,
  pin: MODERATORS,
  add_members: ADMINS,
  remove_members: ADMINS,
  assign_roles: ADMINS,
  update_channel: ADMINS,
  delete_channel: ADMINS,
  moderate: MODERATORS,
  skip_slow_mode: MODERATORS,
};

/** The Parley channel types ATAS defines (created, or brought up to date, by the API). */
export const ATAS_CHANNEL_TYPES: Record<string, ChannelTypeOptions> = {
  /** A request's Communication Log: the organizer and the speaker. */
  request: { permissions: CONVERSATION_PERMISSIONS },
  /** An event's chat: the organizer and the speakers who accepted. */
  event: { permissions: CONVERSATION_PERMISSIONS },
};
