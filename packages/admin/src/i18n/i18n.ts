import { createContext, useContext } from 'react';
import { en, type AdminKey } from './en.js';
import { pt } from './pt.js';

/** The console's languages: English (the default) and Portuguese. */
export const LANGUAGES = { en, pt } as const;
export type Language = keyof typeof LANGUAGES;

/** Strings, numbers and dates in one language, in the viewer's time zone. */
export interface I18n {
  language: Language;
  /** The string for `key` with `{name}` replaced by `values.name`. */
  t(key: AdminKey, values?: Record<string, string | number>): string;
  number(value: number): string;
  /** A timestamp as date and time; `—` for null. */
  dateTime(iso: string | null): string;
}

export function createI18n(language: Language): I18n {
  const table = LANGUAGES[language];
  const numbers = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });
  const dates = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    language,
    t(key, values = {}) {
      return table[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
        name in values ? String(values[name]) : whole,
      );
    },
    number: (value) => numbers.format(value),
    dateTime: (iso) => (iso === null ? '—' : dates.format(new Date(iso))),
  };
}

/** The language a browser asks for, if the console has it. */
export function preferredLanguage(): Language {
  const stored = readStored('parley-admin-language');
  if (stored === 'en' || stored === 'pt') return stored;
  return navigator.language.toLowerCase().startsWith('pt') ? 'pt' : 'en';
}

/** A localStorage value, or null where storage is blocked. */
export function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStored(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Blocked storage: the choice lasts as long as the page.
  }
}

export const I18nContext = createContext<I18n>(createI18n('en'));

export function useI18n(): I18n {
  return useContext(I18nContext);
}
