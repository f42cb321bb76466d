// Stand-ins for views where a real server adds nothing: fixed channel states rendered inside
// a provider, for what a component shows of a given message or member list.
import {
  emptyChannelState,
  type Channel as ClientChannel,
  type LocalMessage,
} from '@parley/client';
import { plainMessageFields } from '@parley/protocol/codes';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { ChatProvider, type ChatProviderProps } from '../chat-provider.js';
import { ChannelContext } from './channel-context.js';

export const user = (id: string, name: string | null = id.toUpperCase()) => ({
  id,
  name,
  image: null,
  role: 'user' as const,
  data: {},
  created_at: '',
  updated_at: '',
  last_active: null,
  online: false,
});

/** Message `i` by `userId`, with every rich field at its plain value unless `more` sets it. */
export function message(
  i: number,
  userId: string,
  createdAt: string,
  more: Partial<LocalMessage> = {},
): LocalMessage {
  return {
    id: `m${i}`,
    cid: 'team:x',
    seq: i + 1,
    type: 'regular',
    user_id: userId,
    user: user(userId),
    text: `message ${i}`,
    data: {},
    created_at: createdAt,
    updated_at: createdAt,
    ...plainMessageFields(),
    status: 'sent',
    ...more,
  };
}

/** Members of a channel state, by user id. */
export function members(...ids: string[]) {
  return Object.fromEntries(
    ids.map((id) => [id, { user_id: id, user: user(id), role: 'member', created_at: '' }]),
  ) as unknown as ClientChannel['state']['members'];
}

/**
 * A stand-in channel with a fixed state; `methods` adds calls (e.g. `sendReaction`) as spies.
 */
export function fakeChannel(
  state: Partial<ClientChannel['state']>,
  methods: Record<string, unknown> = {},
): ClientChannel {
  const full = { ...emptyChannelState(), watching: true, ...state };
  return {
    state: full,
    on: () => () => undefined,
    markRead: () => undefined,
    keystroke: () => undefined,
    ...methods,
  } as unknown as ClientChannel;
}

/** Renders `children` inside a provider (with `props`) and the channel. */
export function inChannel(
  channel: ClientChannel,
  children: ReactNode,
  props: Partial<ChatProviderProps> = {},
) {
  return render(
    <ChatProvider url="http://127.0.0.1:1" {...props}>
      <ChannelContext.Provider value={{ channel }}>{children}</ChannelContext.Provider>
    </ChatProvider>,
  );
}
