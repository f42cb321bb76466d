import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The UI's translation tables: every language has every string, with the same
// placeholders, and every key the pages use exists.

const WEB = fileURLToPath(new URL('..', import.meta.url));
type Table = { [key: string]: string | Table };
const load = (locale: string) =>
  JSON.parse(readFileSync(join(WEB, 'messages', `${locale}.json`), 'utf8')) as Table;

function flatten(table: Table, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(table)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('ATAS web translations', () => {
  const en = flatten(load('en'));
  const pt = flatten(load('pt'));

  it('Portuguese has every English string, none empty, with the same placeholders', () => {
    expect([...pt.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [key, text] of en) {
      expect(text.trim(), key).not.toBe('');
      expect(pt.get(key)?.trim(), key).not.toBe('');
      expect(placeholders(pt.get(key) ?? ''), key).toEqual(placeholders(text));
    }
  });

  it('has every literal key the pages ask for', () => {
    const missing: string[] = [];
    for (const file of sources(join(WEB, 'src'))) {
      const code = readFileSync(file, 'utf8');
      // `const t = useTranslations('ns')` / `await getTranslations('ns')`, then t('key'):
      // a file gives each namespace its own name, so a name means one namespace per file.
      const bindings = [
        ...code.matchAll(
          /(?:const|let)\s+(\w+)\s*=\s*(?:await\s+)?(?:useTranslations|getTranslations)\('([\w.]+)'\)/g,
        ),
      ];
      for (const [, name, namespace] of bindings) {
        for (const call of code.matchAll(new RegExp(`\\b${name}\\('([\\w.]+)'`, 'g'))) {
          const key = `${namespace}.${call[1]}`;
          if (!en.has(key)) missing.push(`${file.slice(WEB.length)}: ${key}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
