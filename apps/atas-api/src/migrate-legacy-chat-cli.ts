#!/usr/bin/env node
import { ChatService } from './chat/chat-service.js';
import { createDatabase } from './db/create-database.js';
import { migrateToLatest } from './db/migrations.js';
import { migrateLegacyChat } from './migration/migrate-legacy-chat.js';
import { createProgressBar } from './migration/progress-bar.js';

/*
 * `npm run migrate:legacy-chat -w apps/atas-api [-- --dry-run]`. Configuration from the
 * environment, as the API's: ATAS_DATA_DIR (default ./data) or ATAS_DATABASE_URL, and
 * PARLEY_URL, PARLEY_API_KEY, PARLEY_SECRET; ATAS_WEB_URL (the web app's public address)
 * gives the channels their `url`, the link in Parley's emails.
 */
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--dry-run');
if (unknown.length > 0) {
  console.error(`unknown argument ${unknown.join(' ')}; usage: migrate-legacy-chat [--dry-run]`);
  process.exit(2);
}
const dryRun = args.includes('--dry-run');

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

const db = createDatabase({
  dataDir: process.env['ATAS_DATA_DIR'] ?? 'data',
  databaseUrl: process.env['ATAS_DATABASE_URL'],
});
try {
  await migrateToLatest(db);
  const chat = new ChatService(
    {
      url: required('PARLEY_URL'),
      apiKey: required('PARLEY_API_KEY'),
      secret: required('PARLEY_SECRET'),
    },
    process.env['ATAS_WEB_URL']?.replace(/\/+$/, '') || undefined,
  );
  const summary = await migrateLegacyChat({
    db,
    chat,
    dryRun,
    onProgress: createProgressBar(dryRun ? 'checking' : 'copying'),
  });
  console.log(
    dryRun
      ? `dry run: ${summary.messages} messages in ${summary.conversations} conversations would be copied (${summary.skipped} without an invitation would be skipped); nothing was written`
      : `copied ${summary.imported} messages, ${summary.alreadyImported} were already in Parley, ${summary.skipped} skipped (no invitation); ${summary.conversations} conversations`,
  );
} catch (err) {
  console.error(`migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
