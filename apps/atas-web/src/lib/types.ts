// The API's JSON shapes, shared as types only: nothing of the API's code reaches the bundle.
export type {
  ConversationSettingJson,
  EventInsightsJson,
  EventJson,
  InvitationJson,
  LegacyMessageJson,
  NotificationSettingsJson,
  PublicUser,
} from '@parley/atas-api';

/** The body of `GET /api/v1/chat/token`. */
export interface ChatAccess {
  token: string;
  user_id: string;
  api_key: string;
  url: string;
}

/** ATAS's error body: `{ error: { code, message } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}
