import type { ChannelStateSnapshot, LocalMessage } from '@parley/client';

/** A Parley user, as the client SDK's messages and members carry it. */
export type User = NonNullable<LocalMessage['user']>;

/** A channel member with its user. */
export type Member = ChannelStateSnapshot['members'][string];

/** The three built-in themes; each is a class `parley-theme-<name>` on the provider's root. */
export type Theme = 'light' | 'dark' | 'atas';
