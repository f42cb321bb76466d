import { z } from 'zod';

/** True for a time zone this runtime's Intl knows (IANA names such as `Europe/Lisbon`, or `UTC`). */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name. */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, 'time_zone must be an IANA time zone such as Europe/Lisbon');
