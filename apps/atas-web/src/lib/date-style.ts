import type { DateFormats } from '@parley/react';

/**
 * ATAS's one date style, on its pages and in the chat (handed to the React kit's
 * `ChatProvider`): a moment is "Dec 5, 2026, 3:05 PM" / "5 de dez. de 2026, 15:05" in the
 * reader's language, a message's clock "3:05 PM" / "15:05".
 */
export const DATE_FORMATS = {
  time: { timeStyle: 'short' },
  day: { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' },
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
} as const satisfies DateFormats;

/** The `Intl` locale of a UI language: ATAS's Portuguese is Portugal's, as the kit's `ptPT` table. */
export function intlLocale(locale: string): string {
  return locale === 'pt' ? 'pt-PT' : locale;
}

/** A moment (or a range, with `formatRange`) in ATAS's date style, in `timeZone`. */
export function dateTimeFormat(locale: string, timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(intlLocale(locale), { ...DATE_FORMATS.dateTime, timeZone });
}
