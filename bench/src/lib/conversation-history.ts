/**
 * The history every conversation of the `polling` scenario holds before it is measured,
 * the same in ATAS's legacy log and in Parley's DMs: the organizer (0) and the speaker (1)
 * take turns, a few minutes apart, ending an hour before the run.
 */
export interface HistoryMessage {
  /** 0 for the first user of the pair (the organizer), 1 for the second. */
  author: 0 | 1;
  text: string;
  createdAt: Date;
}

// Messages of the length organizers and speakers write (about 60–90 characters).
const LINES = [
  'Thanks for accepting! Could you send a title and a short abstract for the programme?',
  'Sure, here it is. I can share the slides a week before the event if that helps.',
  'Perfect. Your slot is 14:00 in room B; there is a clicker and an HDMI adapter.',
  'Great. Is travel covered, or should I book it myself and send you the receipts?',
  'Book it yourself and send the receipts, we refund within two weeks of the event.',
  'Will do. One more thing: is the talk recorded, and can I use the video afterwards?',
];

/** The `total` messages of one conversation's history, oldest first. */
export function conversationHistory(total: number, now = Date.now()): HistoryMessage[] {
  const spacingMs = 5 * 60_000;
  const last = now - 60 * 60_000;
  return Array.from({ length: total }, (_, i) => ({
    author: (i % 2) as 0 | 1,
    text: LINES[i % LINES.length]!,
    createdAt: new Date(last - (total - 1 - i) * spacingMs),
  }));
}
