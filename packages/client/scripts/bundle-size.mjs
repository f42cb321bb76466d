// Prints the size of what a browser app ships for `import { ChatClient } from '@parley/client'`:
// bundled and minified with esbuild, raw and gzipped (-9). Run `npx tsc -b` first: it
// bundles the built dist/. The goal is at most 20 kB gzipped for what a page loads at once:
// 15 kB until rich messages (issues 11 and 16: optimistic edits, deletes, pins and
// reactions, threads, search) added about 4.6 kB to every ChatClient, which reaches them
// through its channels' methods, and files (issue 12) about 1 kB of queue and progress
// plumbing. Code behind a dynamic import() (the upload code) is counted apart: see
// initial-chunks.mjs.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { initialAndLazy } from './initial-chunks.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const result = await build({
  stdin: {
    contents: "import { ChatClient } from '@parley/client';\nglobalThis.ChatClient = ChatClient;\n",
    resolveDir: root,
    loader: 'js',
  },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  splitting: true,
  outdir: 'size-out',
  metafile: true,
  write: false,
  logLevel: 'error',
});
const { initial, lazy } = initialAndLazy(result);
const gzipped = initial.gzipped;
const kB = (n) => `${(n / 1000).toFixed(2)} kB`;
console.log(
  `@parley/client (ChatClient): ${kB(initial.minified)} minified, ${kB(gzipped)} gzipped` +
    ` (+ ${kB(lazy.gzipped)} gzipped loaded on the first file sent)`,
);
if (gzipped > 20_000) {
  console.error('over the 20 kB gzipped budget');
  process.exitCode = 1;
}
