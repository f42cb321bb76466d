import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import type { StoredEmail } from './mailer.js';

/**
 * The `.eml` files of `folder`, parsed (mailparser), newest first; none when the folder
 * does not exist. ATAS's file outbox and Parley's (`<data>/mail`) are both read this way.
 */
export async function readMailFolder(folder: string): Promise<StoredEmail[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const read = await Promise.allSettled(
    names.filter((name) => name.endsWith('.eml')).map((name) => readEmail(folder, name)),
  );
  // A file removed while being read is simply not listed.
  const emails = read.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  return emails.sort(newestFirst);
}

/** Newest first; in one second (the Date header's precision) by file name, which sorts by time. */
export function newestFirst(a: StoredEmail, b: StoredEmail): number {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

async function readEmail(folder: string, name: string): Promise<StoredEmail> {
  const path = join(folder, name);
  const mail = await simpleParser(await readFile(path));
  return {
    id: name.slice(0, -'.eml'.length),
    from: addresses(mail.from),
    to: addresses(mail.to),
    subject: mail.subject ?? '',
    text: (mail.text ?? '').trimEnd(),
    created_at: (mail.date ?? (await stat(path)).mtime).toISOString(),
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects
    .flatMap((object) => object.value.map((address) => address.address ?? address.name))
    .join(', ');
}
