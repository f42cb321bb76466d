export { createAtasApi, type AtasApi } from './atas-api.js';
export type { AtasApiOptions } from './atas-api-options.js';
export { AtasError, atasErrorStatus, type AtasErrorCode } from './atas-error.js';
export { ChatService, requestChannel, type ParleyOptions } from './chat/chat-service.js';
export type { AtasContext } from './http/context.js';
export type { NewUser, PublicUser } from './services/accounts.js';
export type { InvitationJson } from './services/invitations.js';
export type { EventJson } from './services/events.js';
export type { EventInsightsJson, RequestInsightJson } from './services/event-insights.js';
export type { LegacyMessageJson } from './services/legacy-log.js';
export type {
  ConversationSettingJson,
  NotificationSettingsJson,
} from './routes/notification-settings-routes.js';
export type { AtasDatabase, InvitationStatus, UserRole } from './db/database.js';
export {
  migrateLegacyChat,
  type MigrateLegacyChatOptions,
  type MigrateLegacyChatSummary,
} from './migration/migrate-legacy-chat.js';
