import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** packages/admin: the console's sources and its build in dist/. */
export const ADMIN_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const ADMIN_DIST = join(ADMIN_DIR, 'dist');

/**
 * Builds the console (vite build) unless dist/ is newer than its sources. `npm run build`
 * builds it too; this keeps tests right after an edit without one. Returns whether it built.
 */
export async function ensureAdminBuild(): Promise<boolean> {
  const index = join(ADMIN_DIST, 'index.html');
  if (existsSync(index)) {
    const built = statSync(index).mtimeMs;
    const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((p) =>
      join(ADMIN_DIR, p),
    );
    if (sources.every((path) => newestMtime(path) <= built)) return false;
  }
  const { build } = await import('vite');
  await build({ configFile: join(ADMIN_DIR, 'vite.config.ts'), logLevel: 'error' });
  return true;
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}
