import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** How long a page may take to set its title after its content shows. */
const TITLE_WAIT_MS = 5_000;

/** axe-core's violations on the page, one line each (`impact: rule — help: targets`). */
export async function axeViolations(page: Page): Promise<string[]> {
  // A client-side navigation (Next.js) sets the new page's <title> a moment after its
  // content: give it that moment. A page that never gets one is then reported by axe.
  await page
    .waitForFunction(() => document.title !== '', undefined, { timeout: TITLE_WAIT_MS })
    .catch(() => undefined);
  // Evaluated over the DevTools protocol: a page's CSP does not stop it.
  await page.evaluate(axe.source);
  const results = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] })`,
  )) as axe.AxeResults;
  return results.violations.map(
    (v) =>
      `${v.impact}: ${v.id} — ${v.help}: ` +
      v.nodes.map((node) => node.target.join(' ')).join(', '),
  );
}

/**
 * A screenshot for the README: into docs/images/<name> with UPDATE_SCREENSHOTS=1, else into
 * a temporary folder (so the step runs, and can fail, either way). Returns the path.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const path =
    process.env['UPDATE_SCREENSHOTS'] === '1'
      ? fileURLToPath(new URL(`../../../../docs/images/${name}`, import.meta.url))
      : join(mkdtempSync(join(tmpdir(), 'parley-shot-')), name);
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.evaluate('document.fonts.ready');
  await page.screenshot({ path, animations: 'disabled' });
  return path;
}
