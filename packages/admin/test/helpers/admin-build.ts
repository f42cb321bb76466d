import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

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
  // A process of its own: vitest's NODE_ENV=test would give React's development build.
  // The bin is not among vite's exports: found next to its package.json.
  const pkg = createRequire(import.meta.url).resolve('vite/package.json');
  const vite = join(dirname(pkg), 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build'], {
    cwd: ADMIN_DIR,
    env: { ...process.env, NODE_ENV: 'production' },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`vite build of the admin console failed:\n${result.stdout}${result.stderr}`);
  }
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
