// Prints the size of what a browser app ships for `import { ChatClient } from '@parley/client'`:
// bundled and minified with esbuild, raw and gzipped (-9). Run `npx tsc -b` first: it
// bundles the built dist/. The goal is at most 19 kB gzipped: 15 kB until rich messages
// (issues 11 and 16: optimistic edits, deletes, pins and reactions, threads, search) added
// about 4.6 kB to every ChatClient, which reaches them through its channels' methods.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

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
  write: false,
  logLevel: 'error',
});
const code = result.outputFiles[0].contents;
const gzipped = gzipSync(code, { level: 9 }).length;
const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
console.log(`@parley/client (ChatClient): ${kB(code.length)} minified, ${kB(gzipped)} gzipped`);
if (gzipped > 19_000) {
  console.error('over the 19 kB gzipped budget');
  process.exitCode = 1;
}
