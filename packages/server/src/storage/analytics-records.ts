/** What the analytics are computed from: the daily aggregates of a range of days. */
export interface AnalyticsRows {
  /** Days with messages or new channels (days without are absent). */
  daily: { day: string; messages: number; newChannels: number }[];
  /** Who sent messages on which day. */
  userDays: { day: string; userId: string }[];
  /** Messages per channel over the range, most first (at most `topChannels`). */
  busiest: { cid: string; messages: number }[];
  /** First responses that came in the range: the day and how long after the first message. */
  firstResponses: { day: string; ms: number }[];
}

/** Analytics storage; part of {@link Storage}. Days are UTC dates `YYYY-MM-DD`, inclusive. */
export interface AnalyticsStorage {
  /**
   * The aggregates of days `from`..`to`; `userDays` from `usersFrom` (earlier, for the
   * monthly active users of the range's last day).
   */
  getAnalytics(range: {
    from: string;
    to: string;
    usersFrom: string;
    topChannels: number;
  }): Promise<AnalyticsRows>;
}
