// Splits an esbuild build (splitting on, with a metafile) into what a page loads at once —
// the entry chunk and the chunks it imports statically — and what it loads only when code
// asks for it (dynamic `import()`, e.g. the upload code on the first file sent): what a
// bundler that splits (Vite, webpack, Next.js) ships. Sizes are gzipped at -9.
import { gzipSync } from 'node:zlib';
import path from 'node:path';

export function initialAndLazy(result) {
  const files = new Map(result.outputFiles.map((f) => [path.relative(process.cwd(), f.path), f]));
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((name) => outputs[name].entryPoint !== undefined);
  const initial = new Set();
  const visit = (name) => {
    if (initial.has(name)) return;
    initial.add(name);
    for (const imported of outputs[name].imports) {
      if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    }
  };
  visit(entry);
  const size = (names) => {
    const code = Buffer.concat(names.map((n) => Buffer.from(files.get(n).contents)));
    return { minified: code.length, gzipped: gzipSync(code, { level: 9 }).length };
  };
  const lazy = Object.keys(outputs).filter((n) => n.endsWith('.js') && !initial.has(n));
  return { initial: size([...initial]), lazy: size(lazy) };
}
