import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The ATAS web app's folder (apps/atas-web). */
export const WEB_DIR = dirname(require.resolve('@parley/atas-web/package.json'));

/** Next's command line, run with this Node. */
export const NEXT_BIN = createRequire(join(WEB_DIR, 'package.json')).resolve('next/dist/bin/next');

/** Environment for Next: no telemetry (nothing leaves the machine). */
export const NEXT_ENV = { NEXT_TELEMETRY_DISABLED: '1' };

/**
 * Builds the web app (`next build`) unless the build in `.next` is newer than its sources
 * and the kit and client it bundles. Returns whether it built.
 */
export async function ensureWebBuild(log: (line: string) => void = () => undefined) {
  if (webBuildIsCurrent()) return false;
  log('Building the ATAS web app (next build)…');
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const child = spawn(process.execPath, [NEXT_BIN, 'build'], {
      cwd: WEB_DIR,
      env: { ...process.env, ...NEXT_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next build failed (${code}):\n${output}`)),
    );
  });
  return true;
}

function webBuildIsCurrent(): boolean {
  const buildId = join(WEB_DIR, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return false;
  const built = statSync(buildId).mtimeMs;
  const sources = [
    join(WEB_DIR, 'src'),
    join(WEB_DIR, 'next.config.ts'),
    join(WEB_DIR, 'package.json'),
    ...['@parley/react', '@parley/client', '@parley/protocol'].map((name) =>
      dirname(require.resolve(name)),
    ),
    join(dirname(dirname(require.resolve('@parley/react'))), 'styles'),
  ];
  return sources.every((path) => newestMtime(path) <= built);
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}
