// Prints two sizes of @parley/react with the client SDK, bundled and minified with esbuild,
// raw and gzipped (-9); react and react-dom are external (the app ships them anyway):
// - the minimal chat: ChatProvider, Channel, MessageList and MessageInput — what a page
//   loads up front (code split off with import(), loaded on first use, is not counted);
//   the goal is at most 40 kB gzipped;
// - the full kit: that plus Thread, PinnedMessages and the message actions, reactions and
//   menus, with every chunk loaded.
// Run `npx tsc -b` first: it bundles the built dist/.
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const BUDGET = 40_000;
const MINIMAL = ['ChatProvider', 'Channel', 'MessageList', 'MessageInput', 'useChatClient'];
const FULL = [...MINIMAL, 'Thread', 'PinnedMessages', 'TypingIndicator', 'ConnectionBanner'];

/** Bundles `names` with code splitting; returns the bytes loaded up front and in all. */
async function measure(names) {
  const result = await build({
    stdin: {
      contents: `import { ${names.join(', ')} } from '@parley/react';\nglobalThis.parley = { ${names.join(', ')} };`,
      resolveDir: root,
      loader: 'js',
    },
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    outdir: 'out',
    external: ['react', 'react-dom', 'react/jsx-runtime'],
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const files = new Map(result.outputFiles.map((f) => [f.path.replace(/.*\/out\//, 'out/'), f]));
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((name) => outputs[name].entryPoint !== undefined);
  // What the entry loads with static imports, transitively: the up-front part.
  const upFront = new Set();
  const visit = (name) => {
    if (upFront.has(name)) return;
    upFront.add(name);
    for (const i of outputs[name].imports) {
      if (i.kind === 'import-statement' && !i.external) visit(i.path);
    }
  };
  visit(entry);
  const sum = (list) => {
    const code = Buffer.concat(list.map((name) => files.get(name).contents));
    return { raw: code.length, gzipped: gzipSync(code, { level: 9 }).length };
  };
  return { upFront: sum([...upFront]), all: sum([...files.keys()]) };
}

const kB = (n) => `${(n / 1000).toFixed(1)} kB`;
const show = ({ raw, gzipped }) => `${kB(raw)} minified, ${kB(gzipped)} gzipped`;
const minimal = await measure(MINIMAL);
const full = await measure(FULL);
console.log(
  `@parley/react minimal chat (+ @parley/client, react external): ${show(minimal.upFront)}`,
);
console.log(
  `@parley/react full kit (threads, reactions, menus, pinned; every chunk): ${show(full.all)}`,
);
if (minimal.upFront.gzipped > BUDGET) {
  console.error('the minimal chat is over the 40 kB gzipped budget');
  process.exitCode = 1;
}
