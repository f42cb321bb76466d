export { createParleyServerClient, ParleyServerClient } from './server-client.js';
export type * from './server-client-options.js';
export type { FetchLike } from './http.js';
export {
  verifyWebhook,
  WebhookVerificationError,
  type VerifyWebhookOptions,
} from './verify-webhook.js';
export type { ChannelTypeOptions, RestrictOptions } from './server-moderation.js';
// What callers catch and get back, so a backend needs no second import for them.
export { ChatError } from '@parley/protocol';
export type {
  AnalyticsResponse,
  AppEvent,
  AppEventType,
  AppWebhookPayload,
  ChannelWebhookPayload,
  AuditEntry,
  BlocklistEntry,
  ChannelPermissions,
  ChannelTypeSettings,
  Flag,
  QueryAuditLogResponse,
  QueryFlagsResponse,
  Restriction,
  Channel,
  ChangeMembersResponse,
  ChannelMember,
  ChannelState,
  DeleteChannelResponse,
  ErrorCode,
  GetEventsResponse,
  GetMessagesResponse,
  GetOrCreateChannelResponse,
  GetPinnedResponse,
  GetReactionsResponse,
  HealthResponse,
  MemberRole,
  Message,
  MessageResponse,
  QueryChannelsResponse,
  Reaction,
  SendMessageResponse,
  SendReactionResponse,
  UnreadSummary,
  UpdateChannelRequest,
  User,
  UserInput,
  UserRole,
  WebhookPayload,
  NotificationSettings,
} from '@parley/protocol';
