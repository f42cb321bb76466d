import { en, type MessageKey, type Messages } from './en.js';

/** Values put into a string: `{name}` takes `values.name`. */
export type Values = Record<string, string | number>;

/** Looks strings up in one table and formats dates and times in one locale and time zone. */
export interface Translator {
  /** The BCP 47 locale the kit formats for; undefined: the viewer's (the runtime's default). */
  locale: string | undefined;
  /** The IANA time zone dates are shown in; undefined: the viewer's. */
  timeZone: string | undefined;
  /** The string for `key` with `values` put in. */
  t(key: MessageKey, values?: Values): string;
  /** The plural form of `key` (`key.one`, `key.other`, …) for `count`, with `count` put in. */
  plural(key: PluralKey, count: number, values?: Values): string;
  /** A number in the locale's way: "5,000" / "5.000". */
  number(value: number): string;
  /** "Ana, Ben and Cy" in the locale's way; `partial`: "Ana, Ben" (more follow). */
  list(items: readonly string[], partial?: boolean): string;
  /** A message's clock time: "14:05" / "2:05 PM". */
  time(date: Date): string;
  /** A day separator: "Saturday, 5 December 2026". */
  day(date: Date): string;
  /** A full date and time, for a tooltip. */
  dateTime(date: Date): string;
  /** The calendar day of `date` in the time zone, "2026-12-05": what groups messages by day. */
  dayKey(date: Date): string;
}

/** A plural family: `reactions.whoMore` for `reactions.whoMore.one` and `.other`. */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}.other` ? Base : never;
}[MessageKey];

/**
 * How the kit writes dates, each as `Intl.DateTimeFormat` options (the time zone comes from
 * `timeZone`): an app passes its own to show the same style on its pages and in the chat.
 */
export interface DateFormats {
  /** A message's clock time. Default `{ hour: '2-digit', minute: '2-digit' }`. */
  time: Intl.DateTimeFormatOptions;
  /** A day separator. Default weekday, day, long month and year. */
  day: Intl.DateTimeFormatOptions;
  /** A full date and time (tooltips, search results). Default `{ dateStyle: 'full', timeStyle: 'short' }`. */
  dateTime: Intl.DateTimeFormatOptions;
}

/** The kit's date formats when the app gives none. */
export const DEFAULT_DATE_FORMATS: DateFormats = {
  time: { hour: '2-digit', minute: '2-digit' },
  day: { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' },
  dateTime: { dateStyle: 'full', timeStyle: 'short' },
};

/** What `createTranslator` takes. */
export interface TranslatorOptions {
  /** Default: the viewer's locale. */
  locale?: string;
  /** Default: the viewer's time zone. */
  timeZone?: string;
  /** Strings that replace English ones: a whole table such as `pt`, or a few keys. */
  messages?: Partial<Messages>;
  /** Date formats over the defaults: some or all of `time`, `day`, `dateTime`. */
  dateFormats?: Partial<DateFormats>;
}

/** A translator; English where `messages` has no string for a key. */
export function createTranslator({
  locale,
  timeZone,
  messages = {},
  dateFormats = {},
}: TranslatorOptions = {}): Translator {
  const formats = { ...DEFAULT_DATE_FORMATS, ...dateFormats };
  const table: Record<string, string | undefined> = { ...en, ...messages };
  const plurals = new Intl.PluralRules(locale);
  const zone = timeZone === undefined ? {} : { timeZone };
  const clock = new Intl.DateTimeFormat(locale, { ...formats.time, ...zone });
  const days = new Intl.DateTimeFormat(locale, { ...formats.day, ...zone });
  const full = new Intl.DateTimeFormat(locale, { ...formats.dateTime, ...zone });
  // en-CA writes dates as YYYY-MM-DD; only the time zone matters for the key.
  const keys = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...zone,
  });
  const lists = new Intl.ListFormat(locale, { type: 'conjunction' });
  const partialLists = new Intl.ListFormat(locale, { type: 'unit', style: 'short' });
  const numbers = new Intl.NumberFormat(locale);
  const t = (key: MessageKey, values?: Values) => fill(table[key] ?? key, values);
  return {
    locale,
    timeZone,
    t,
    plural: (key, count, values) => {
      const form = `${key}.${plurals.select(count)}`;
      const text = table[form] ?? table[`${key}.other`] ?? form;
      return fill(text, { count, ...values });
    },
    number: (value) => numbers.format(value),
    list: (items, partial = false) => (partial ? partialLists : lists).format(items),
    time: (date) => clock.format(date),
    day: (date) => days.format(date),
    dateTime: (date) => full.format(date),
    dayKey: (date) => keys.format(date),
  };
}

function fill(text: string, values: Values | undefined): string {
  if (values === undefined) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}
