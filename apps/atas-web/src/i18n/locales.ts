/** The languages of ATAS's UI; the first is the default. */
export const LOCALES = ['en', 'pt'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** The cookie that keeps a visitor's choice (next-intl's usual name). */
export const LOCALE_COOKIE = 'NEXT_LOCALE';

/** The language names, each in itself, for the switcher. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', pt: 'Português' };

export function isLocale(value: string | undefined): value is Locale {
  return (LOCALES as readonly string[]).includes(value ?? '');
}

/** The visitor's choice, else the first supported language of `Accept-Language`, else English. */
export function pickLocale(cookie: string | undefined, acceptLanguage: string | null): Locale {
  if (isLocale(cookie)) return cookie;
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase().split('-')[0];
    if (isLocale(tag)) return tag;
  }
  return DEFAULT_LOCALE;
}
