/** Default limits; every one is configurable on the server. */
export const DEFAULT_LIMITS = {
  /** Longest message text, in Unicode code points. */
  maxMessageLength: 5_000,
  /** Largest REST request body, in bytes. */
  maxBodyBytes: 256 * 1024,
  /** Largest WebSocket frame the server accepts, in bytes. */
  maxFrameBytes: 64 * 1024,
  /** Largest custom `data` object (users, channels, messages) once serialised to JSON, in bytes. */
  maxCustomDataBytes: 16 * 1024,
  /** Largest uploaded file, in bytes (25 MiB). */
  maxUploadBytes: 25 * 1024 * 1024,
  /** Most pixels of an uploaded image (all frames of an animation together); more is a decompression bomb. */
  maxImagePixels: 50_000_000,
  /** Most members in one request (create, add, remove). */
  maxMembersPerRequest: 100,
  /**
   * Deepest nesting of objects and arrays in custom `data` (the object itself is level 1).
   * Fixed: it protects every JSON walk on the way from stack exhaustion.
   */
  maxDataDepth: 20,
  /** The highest seq a channel can reach (the databases keep seqs as 32-bit integers). */
  maxSeq: 2_147_483_647,
  /** Most distinct reaction types on one message (a server option). */
  maxReactionTypes: 25,
  /** Longest reaction type, in UTF-16 units. */
  maxReactionTypeLength: 64,
  /** Most attachments on one message. */
  maxAttachments: 10,
  /** Most users mentioned in one message. */
  maxMentions: 25,
  /** Newest reactions carried on a message (`latest_reactions`). */
  latestReactions: 10,
  /** Most users listed in a thread's `thread_participants` (the first to reply). */
  maxThreadParticipants: 20,
} as const;

/** Typing timings shared by clients and the server. */
export const TYPING = {
  /** A client sends `typing.start` at most this often while the user types. */
  startIntervalMs: 2_000,
  /** A client sends `typing.stop` after this long without a keystroke. */
  stopAfterMs: 3_000,
  /** The server ends a typing state by itself after this long without a stop. */
  expireAfterMs: 7_000,
} as const;

/** Page sizes for paginated calls. */
export const PAGE = {
  messagesDefault: 25,
  messagesMax: 200,
  channelsDefault: 20,
  channelsMax: 100,
  usersDefault: 30,
  usersMax: 100,
  eventsDefault: 100,
  eventsMax: 500,
  reactionsDefault: 25,
  reactionsMax: 100,
  pinnedDefault: 25,
  pinnedMax: 100,
  searchDefault: 20,
  searchMax: 100,
} as const;
