// Prints the size of a minimal chat with @parley/react: ChatProvider, Channel, MessageList
// and MessageInput with the client SDK, bundled and minified with esbuild, raw and gzipped
// (-9). react and react-dom are external: the app ships them anyway. Run `npx tsc -b`
// first: it bundles the built dist/. The goal is at most 40 kB gzipped.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

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
  write: false,
  logLevel: 'error',
});
const code = result.outputFiles[0].contents;
const gzipped = gzipSync(code, { level: 9 }).length;
const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
console.log(
  `@parley/react minimal chat (+ @parley/client, react external): ${kB(code.length)} minified, ${kB(gzipped)} gzipped`,
);
if (gzipped > 40_000) {
  console.error('over the 40 kB gzipped budget');
  process.exitCode = 1;
}
