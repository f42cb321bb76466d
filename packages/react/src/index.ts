export { ChatProvider, type ChatProviderProps } from './chat-provider.js';
export {
  useChatClient,
  type UseChatClientOptions,
  type UseChatClientResult,
} from './hooks/use-chat-client.js';
export { useChannel, type ChannelTarget, type UseChannelResult } from './hooks/use-channel.js';
export { useChannelState } from './hooks/use-channel-state.js';
export { useMessages } from './hooks/use-messages.js';
export { useTypingUsers } from './hooks/use-typing-users.js';
export { useUnreadCount } from './hooks/use-unread-count.js';
export { useConnectionState } from './hooks/use-connection-state.js';
export { usePresence, type Presence } from './hooks/use-presence.js';
export {
  useDesktopNotifications,
  type DesktopPermission,
  type NotifiedMessage,
  type UseDesktopNotificationsOptions,
  type UseDesktopNotificationsResult,
} from './hooks/use-desktop-notifications.js';
export {
  DesktopNotifications,
  type DesktopNotificationsProps,
} from './components/desktop-notifications.js';
export { Channel, type ChannelProps } from './components/channel.js';
export { useChannelContext, type ChannelContextValue } from './components/channel-context.js';
export { MessageList, type MessageListProps } from './components/message-list.js';
export { ALL_MESSAGE_ACTIONS, type MessageAction } from './components/message-action-types.js';
export {
  DEFAULT_REACTIONS,
  reactionLabel,
  type EmojiPickerComponent,
} from './components/emoji-set.js';
export { MessageText, type MessageTextProps } from './components/message-text.js';
export { MessageInput, type MessageInputProps } from './components/message-input.js';
export { TypingIndicator, typingText } from './components/typing-indicator.js';
export { ConnectionBanner } from './components/connection-banner.js';
export { ChannelList, channelName, type ChannelListProps } from './components/channel-list.js';
export { SearchBox, type SearchBoxProps } from './search/search-box.js';
export { HighlightedText } from './search/highlighted-text.js';
export { useSearch, type UseSearchOptions, type UseSearchResult } from './search/use-search.js';
export type { Member, Theme, User } from './types.js';
export { en, type MessageKey, type Messages } from './i18n/en.js';
export { pt } from './i18n/pt.js';
export { ptPT } from './i18n/pt-pt.js';
export {
  createTranslator,
  DEFAULT_DATE_FORMATS,
  type DateFormats,
  type PluralKey,
  type Translator,
  type TranslatorOptions,
  type Values,
} from './i18n/translator.js';
export { useTranslator } from './i18n/locale-context.js';
export { Thread, type ThreadProps } from './components/thread.js';
export { useThread, type UseThreadResult } from './hooks/use-thread.js';
export { PinnedMessages, type PinnedMessagesProps } from './components/pinned-messages.js';
export {
  AttachmentSlotsContext,
  type AttachmentSlots,
  type InputFilesProps,
} from './components/attachment-slots.js';
