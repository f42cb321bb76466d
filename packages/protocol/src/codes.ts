/**
 * The zod-free part of the protocol: codes, limits and ChatError. Clients that must stay
 * small import runtime values from `@parley/protocol/codes` and only types from the root.
 */
export * from './error-codes.js';
export * from './close-codes.js';
export * from './chat-error.js';
export * from './limits.js';
export * from './message-defaults.js';
