export { ChatClient, type QueryChannelsOptions } from './chat-client.js';
export type { ChatClientOptions } from './client-options.js';
export type {
  ChannelEventMap,
  ChannelEventType,
  ClientEventMap,
  ConnectionInfo,
  UnreadCounts,
} from './client-events.js';
export type { TokenProvider } from './token-source.js';
export { Channel } from './channel/channel.js';
export type {
  ChannelOptions,
  SendMessageInput,
  UpdateMessageInput,
} from './channel/channel-context.js';
export { Thread, type ThreadState, type ReplyInput } from './channel/thread.js';
export type { SearchOptions, SearchPage } from './search.js';
export { emptyChannelState, type ChannelStateSnapshot } from './channel/channel-state.js';
export { placeholderUser } from './placeholder-user.js';
export type { LocalMessage } from './channel/message-list.js';
export type { ConnectionChangedEvent, ConnectionState } from './connection/connection-state.js';
export { backoffDelay, type BackoffOptions } from './connection/backoff.js';
export type { NetworkEvents } from './connection/connection.js';
export type { WebSocketConstructor, WebSocketLike } from './connection/socket.js';
export type { FetchLike } from './rest/rest-client.js';
export type {
  ActionFrame,
  QueuedAction,
  QueuedItem,
  QueuedSend,
  QueueStore,
} from './queue/queue-store.js';
export { MemoryQueueStore } from './queue/memory-queue-store.js';
export { LocalStorageQueueStore, type StorageLike } from './queue/local-storage-queue-store.js';
export { IndexedDBQueueStore, type IDBFactoryLike } from './queue/indexeddb-queue-store.js';
export { ChatError } from '@parley/protocol/codes';
