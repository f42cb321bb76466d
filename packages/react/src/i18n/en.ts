/**
 * Every string the kit shows, in English: the default table and the shape of any other.
 * `{name}` marks a value put in; keys ending in `.one` / `.other` are plural forms chosen
 * with `Intl.PluralRules` (a table may add `.zero`, `.two`, `.few`, `.many` for its language).
 */
export const en = {
  // Conversation and list
  'channel.label': 'Conversation',
  'channel.loading': 'Loading conversation…',
  'channel.error': 'Could not open the conversation: {error}',
  'common.tryAgain': 'Try again',
  'common.cancel': 'Cancel',
  'common.save': 'Save',
  'common.close': 'Close',
  'list.label': 'Messages',
  'list.empty': 'No messages yet',
  'list.loadingOlder': 'Loading earlier messages…',
  'list.loadingNewer': 'Loading later messages…',
  'list.newMessages': 'New messages',
  'list.latestMessages': 'Latest messages',
  // One message
  'message.sending': 'Sending…',
  'message.failed': 'Not sent.',
  'message.failedBecause': 'Not sent: {error}.',
  'message.retry': 'Retry',
  'message.seen': 'Seen',
  'message.edited': 'edited',
  'message.editedAt': 'Edited {time}',
  'message.deleted': 'Message deleted',
  'message.pinned': 'Pinned',
  'message.quoteOf': 'Quote of {name}',
  'message.replies.one': '{count} reply',
  'message.replies.other': '{count} replies',
  'message.openThread': 'Open the thread',
  // Input
  'input.label': 'Message',
  'input.placeholder': 'Write a message…',
  'input.send': 'Send',
  'input.counter': '{count} of {max} characters',
  'input.tooLong': 'The message is too long: {count} of at most {max} characters.',
  'input.notSent': 'Not sent: {error}',
  'input.replyingTo': 'Quoting {name}',
  'input.cancelQuote': 'Remove the quote',
  'input.mentions': 'Members to mention',
  // Typing and presence
  'typing.one': '{name} is typing…',
  'typing.two': '{first} and {second} are typing…',
  'typing.many': 'Several people are typing…',
  'presence.online': '{name} is online',
  'presence.offline': '{name} is offline',
  // Connection
  'connection.offline': 'You are offline. Messages will be sent when you reconnect.',
  'connection.reconnecting': 'Reconnecting…',
  // Channel list
  'channels.label': 'Conversations',
  'channels.loading': 'Loading conversations…',
  'channels.empty': 'No conversations yet',
  'channels.error': 'Could not load conversations: {error}',
  'channels.noMessages': 'No messages yet',
  'channels.unread': '{count} unread',
  // Message actions
  'actions.menu': 'Message actions',
  'actions.react': 'React',
  'actions.reply': 'Reply in thread',
  'actions.quote': 'Quote',
  'actions.edit': 'Edit',
  'actions.delete': 'Delete',
  'actions.pin': 'Pin',
  'actions.unpin': 'Unpin',
  'actions.copy': 'Copy text',
  'actions.failed': 'Could not do that: {error}',
  'actions.confirmDelete': 'Delete this message?',
  'edit.label': 'Edit message',
  // Reactions
  'reactions.label': 'Reactions',
  'reactions.pick': 'Pick a reaction',
  'reactions.more': 'More reactions',
  'reactions.who': '{emoji} {count}: {names}',
  'reactions.whoMore.one': '{emoji} {count}: {names} and {more} other',
  'reactions.whoMore.other': '{emoji} {count}: {names} and {more} others',
  'reactions.you': 'you',
  // Thread
  'thread.label': 'Thread',
  'thread.close': 'Close the thread',
  'thread.loading': 'Loading the thread…',
  'thread.loadOlder': 'Earlier replies',
  'thread.empty': 'No replies yet',
  'thread.reply': 'Reply',
  'thread.replyPlaceholder': 'Reply…',
  'thread.showInChannel': 'Also send to the channel',
  // Pinned
  'pinned.label': 'Pinned messages',
  'pinned.loading': 'Loading pinned messages…',
  'pinned.empty': 'No pinned messages',
  'pinned.error': 'Could not load pinned messages: {error}',
  'pinned.jump': 'Show in the conversation',
  // Search
  'notifications.enable': 'Turn on desktop notifications',
  'notifications.disable': 'Turn off desktop notifications',
  'notifications.on': 'Desktop notifications are on.',
  'notifications.blocked': 'Notifications are blocked for this site in the browser settings.',
  'search.label': 'Search messages',
  'search.placeholder': 'Words, "a phrase", -without',
  'search.submit': 'Search',
  'search.searching': 'Searching…',
  'search.none': 'No messages match “{query}”',
  'search.results.one': '{count} message matches “{query}”',
  'search.results.other': '{count} messages match “{query}”',
  'search.firstResults.one': 'The first {count} message matching “{query}”',
  'search.firstResults.other': 'The first {count} messages matching “{query}”',
  'search.resultsLabel': 'Search results',
  'search.more': 'More results',
  'search.loadingMore': 'Loading more results…',
  'search.error': 'Could not search: {error}',
  'list.focused': 'Found message',
} as const;

/** A key of the translation table. */
export type MessageKey = keyof typeof en;

/** A full translation table: one string per key of `en`. */
export type Messages = Record<MessageKey, string>;
