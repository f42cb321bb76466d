// Prints the size of a minimal chat with @parley/react: ChatProvider, Channel, MessageList
// and MessageInput with the client SDK, bundled and minified with esbuild, raw and gzipped
// (-9). react and react-dom are external: the app ships them anyway. Run `npx tsc -b`
// first: it bundles the built dist/. The goal is at most 40 kB gzipped, for what a page loads
// at once (code behind a dynamic import() is counted apart: see client/scripts/initial-chunks.mjs).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { initialAndLazy } from '../../client/scripts/initial-chunks.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const entry = `
import { ChatProvider, Channel, MessageList, MessageInput, useChatClient } from '@parley/react';
globalThis.parley = { ChatProvider, Channel, MessageList, MessageInput, useChatClient };
`;
const result = await build({
  stdin: { contents: entry, resolveDir: root, loader: 'js' },
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  external: ['react', 'react-dom', 'react/jsx-runtime'],
  splitting: true,
  outdir: 'size-out',
  metafile: true,
  write: false,
  logLevel: 'error',
});
const { initial, lazy } = initialAndLazy(result);
const gzipped = initial.gzipped;
const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
console.log(
  `@parley/react minimal chat (+ @parley/client, react external): ${kB(initial.minified)} minified, ${kB(gzipped)} gzipped` +
    ` (+ ${kB(lazy.gzipped)} gzipped loaded on the first file sent)`,
);
if (gzipped > 40_000) {
  console.error('over the 40 kB gzipped budget');
  process.exitCode = 1;
}
