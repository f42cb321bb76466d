/**
 * Stable error codes: the `code` field of every error body and error frame.
 * Clients decide what to do from the code alone; the message is for people.
 */
export const ErrorCode = {
  /** The body is not valid JSON. */
  InvalidJson: 'invalid_json',
  /** The body, query or frame does not match its schema (wrong type, unknown field, …). */
  InvalidRequest: 'invalid_request',
  /** The body is larger than `maxBodyBytes`. */
  PayloadTooLarge: 'payload_too_large',
  /** A WebSocket frame is larger than `maxFrameBytes`. */
  FrameTooLarge: 'frame_too_large',
  /** The request body is not `application/json`. */
  UnsupportedMediaType: 'unsupported_media_type',
  /** A path segment or the whole URL is longer than the server reads. */
  UriTooLong: 'uri_too_long',
  /** The request's headers are larger than the server reads. */
  HeadersTooLarge: 'headers_too_large',
  /** The request was not received completely in time; send it again. */
  RequestTimeout: 'request_timeout',
  /** A WebSocket frame's `type` is not one the server knows. */
  UnknownFrame: 'unknown_frame',
  /** The message text is longer than `maxMessageLength` characters. */
  MessageTooLong: 'message_too_long',
  /** Custom `data` is larger than `maxCustomDataBytes` once serialised. */
  CustomDataTooLarge: 'custom_data_too_large',
  /** No token was sent. */
  AuthMissing: 'auth_missing',
  /** The token is malformed, has a wrong signature or lacks a claim. */
  TokenInvalid: 'token_invalid',
  /** The token's `exp` has passed: get a new one and retry. */
  TokenExpired: 'token_expired',
  /** The `api_key` sent does not match the server's key. */
  InvalidApiKey: 'invalid_api_key',
  /** The endpoint needs the server (secret) credential, not a user token. */
  ServerAuthRequired: 'server_auth_required',
  /** A body names a user other than the token's user. */
  UserMismatch: 'user_mismatch',
  /** The caller is not a member of the channel. */
  NotMember: 'not_member',
  /** The caller's role does not allow this action. */
  Forbidden: 'forbidden',
  /** No such route. */
  NotFound: 'not_found',
  /** No such channel. */
  ChannelNotFound: 'channel_not_found',
  /** No such user. */
  UserNotFound: 'user_not_found',
  /** No such message in this channel. */
  MessageNotFound: 'message_not_found',
  /** Some user ids in a member list do not exist; `details.user_ids` lists them. */
  UnknownUsers: 'unknown_users',
  /** The message id is already used by another channel or another author. */
  MessageIdConflict: 'message_id_conflict',
  /** The message was deleted: it cannot be edited, reacted to, replied to or quoted. */
  MessageDeleted: 'message_deleted',
  /** The author's edit window (`editWindowMs`) for this message has passed. */
  EditWindowExpired: 'edit_window_expired',
  /** The message has as many distinct reaction types as allowed; `details.max` says how many. */
  TooManyReactionTypes: 'too_many_reaction_types',
  /** The uploaded file is larger than `maxUploadBytes`, or an image has more pixels than `maxImagePixels`. */
  FileTooLarge: 'file_too_large',
  /** The uploaded file's type (sniffed from its bytes) is not one the server accepts. */
  FileTypeNotAllowed: 'file_type_not_allowed',
  /** No such file (never uploaded, or removed). */
  FileNotFound: 'file_not_found',
  /** An attachment named in a send was uploaded by another user: only its uploader may send it. */
  AttachmentNotOwned: 'attachment_not_owned',
  /** An attachment named in a send was uploaded for another channel. */
  AttachmentWrongChannel: 'attachment_wrong_channel',
  /** An attachment named in a send is carried by another message already: each is sent once. */
  AttachmentInUse: 'attachment_in_use',
  /** A file URL's signature does not match, or the URL has expired: get a fresh URL. */
  InvalidSignature: 'invalid_signature',
  /** No such webhook endpoint. */
  WebhookNotFound: 'webhook_not_found',
  /** No such webhook delivery (delivered ones are not kept). */
  DeliveryNotFound: 'delivery_not_found',
  /** The `Range` asked for lies outside the file. */
  RangeNotSatisfiable: 'range_not_satisfiable',
  /** Too many requests or messages in the time window; `details.retry_after_ms` says when to retry. */
  RateLimited: 'rate_limited',
  /** The caller is banned from the channel, or app-wide; `details.expires_at` says until when (null: until lifted). */
  Banned: 'banned',
  /** The caller is muted in the channel: they read but may not write; `details.expires_at` as for bans. */
  Muted: 'muted',
  /** The recipient blocked the caller: no direct messages from them. */
  Blocked: 'blocked',
  /** The channel is frozen: read-only for users until it is unfrozen. */
  Frozen: 'frozen',
  /** Slow mode: the caller wrote in this channel less than `details.slow_mode_s` ago; `details.retry_after_ms` says when to retry. */
  SlowMode: 'slow_mode',
  /** The text matches a blocked word of the channel type's blocklist. */
  MessageBlocked: 'message_blocked',
  /** No such channel type (only `messaging` and `team` exist without being created). */
  ChannelTypeNotFound: 'channel_type_not_found',
  /** No flag has this id. */
  FlagNotFound: 'flag_not_found',
  /** A channel type of this name exists already: change it with PATCH. */
  ChannelTypeExists: 'channel_type_exists',
  /** The storage did not answer; retry later. */
  StorageUnavailable: 'storage_unavailable',
  /** An unexpected server error; it has been logged. */
  InternalError: 'internal_error',
  /**
   * Client side only, never sent by the server: the server could not be reached or did
   * not answer in time. Retry later.
   */
  NetworkError: 'network_error',
} as const;

/** One of the {@link ErrorCode} values. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The HTTP status that goes with each error code. */
export const errorStatus: Record<ErrorCode, number> = {
  invalid_json: 400,
  invalid_request: 400,
  payload_too_large: 413,
  frame_too_large: 413,
  unsupported_media_type: 415,
  uri_too_long: 414,
  headers_too_large: 431,
  request_timeout: 408,
  unknown_frame: 400,
  message_too_long: 400,
  custom_data_too_large: 400,
  auth_missing: 401,
  token_invalid: 401,
  token_expired: 401,
  invalid_api_key: 401,
  server_auth_required: 403,
  user_mismatch: 403,
  not_member: 403,
  forbidden: 403,
  not_found: 404,
  channel_not_found: 404,
  user_not_found: 404,
  message_not_found: 404,
  unknown_users: 400,
  message_id_conflict: 409,
  message_deleted: 409,
  edit_window_expired: 403,
  too_many_reaction_types: 400,
  file_too_large: 413,
  file_type_not_allowed: 415,
  file_not_found: 404,
  attachment_not_owned: 403,
  attachment_wrong_channel: 400,
  attachment_in_use: 409,
  invalid_signature: 403,
  webhook_not_found: 404,
  delivery_not_found: 404,
  range_not_satisfiable: 416,
  rate_limited: 429,
  banned: 403,
  muted: 403,
  blocked: 403,
  frozen: 403,
  slow_mode: 429,
  message_blocked: 400,
  channel_type_not_found: 404,
  flag_not_found: 404,
  channel_type_exists: 409,
  storage_unavailable: 503,
  internal_error: 500,
  network_error: 503,
};

/** Codes after which the same request may succeed if retried unchanged. */
export const retryableErrorCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'rate_limited',
  'slow_mode',
  'request_timeout',
  'storage_unavailable',
  'internal_error',
  'network_error',
]);
