import type { MessageKey } from '../i18n/en.js';
import type { Values } from '../i18n/translator.js';

/** `1.2 MB`-style sizes, in `locale` (default: the reader's). */
export function fileSize(bytes: number, locale?: string): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toLocaleString(locale, { maximumFractionDigits: digits })} ${units[unit]}`;
}

/** Whether a file matches an `accept` list: MIME types, `type/*` patterns or `.ext`. */
export function accepts(file: { name: string; type: string }, accepted?: readonly string[]) {
  if (accepted === undefined || accepted.length === 0) return true;
  const name = file.name.toLowerCase();
  const type = file.type.toLowerCase();
  return accepted.some((rule) => {
    const r = rule.trim().toLowerCase();
    if (r.startsWith('.')) return name.endsWith(r);
    if (r.endsWith('/*')) return type.startsWith(r.slice(0, -1));
    return type === r;
  });
}

/** Why a file cannot be added — a string of the translation table and its values — or null. */
export function refusal(
  file: File,
  accepted: readonly string[] | undefined,
  maxFileSize: number | undefined,
  locale?: string,
): { key: MessageKey; values: Values } | null {
  const name = file.name;
  if (!accepts(file, accepted)) return { key: 'files.notAccepted', values: { name } };
  if (maxFileSize !== undefined && file.size > maxFileSize) {
    return { key: 'files.tooLarge', values: { name, max: fileSize(maxFileSize, locale) } };
  }
  if (file.size === 0) return { key: 'files.empty', values: { name } };
  return null;
}
