export { createParleyServer, type ParleyServer, type ServerParts } from './server.js';
export { resolveConfig, type Limits, type ResolvedConfig, type ServerOptions } from './config.js';
export { TokenVerifier, type Principal } from './auth/tokens.js';
export type { Bus, BusMessage, BusHandler } from './bus/bus.js';
export type { PresenceTracker } from './presence/presence-tracker.js';
export type { TypingTracker } from './typing/typing-tracker.js';
export type { Storage } from './storage/storage.js';
export { searchTextOf } from './search/search-text.js';
