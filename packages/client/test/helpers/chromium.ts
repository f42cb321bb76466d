import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, or the path in PARLEY_CHROMIUM. Never a downloaded browser. */
export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Whether the browser tests of `what` can run. Without Chromium they are skipped with a
 * loud message on a developer's machine, and fail when CI=true so CI never skips them.
 */
export function chromiumAvailable(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  const message =
    `Chromium not found at ${CHROMIUM}: ${what} cannot run. ` +
    'Install it (Debian: apt-get install chromium) or set PARLEY_CHROMIUM to its path.';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n${'!'.repeat(100)}\n!!! SKIPPED: ${message}\n${'!'.repeat(100)}\n`);
  return false;
}

/** Launches headless Chromium with the flags this closed-network machine needs. */
export function launchChromium(timeoutMs: number): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: timeoutMs,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}
