import fc from 'fast-check';
import { nestedDataJson } from '../helpers/nested-data.js';
import { arbitraryOf, type FieldHints, type JsonSchema } from './json-schema-arbitrary.js';

/** A JSON text to send, and how it was made (shown when a property fails). */
export interface FuzzBody {
  kind: string;
  /** The JSON text sent (or, with `bytes`, what they hold, for the counterexample). */
  text: string;
  /** A body that is not JSON, sent as it is with `contentType`. */
  bytes?: Buffer;
  contentType?: string;
}

/** Number tokens JSON allows but JavaScript cannot keep exactly (or at all). */
const RAW_NUMBERS = ['1e309', '-1e309', '1e-400', '-0', '12345678901234567890123', '0.1e1', '1E2'];

/** Strings that break naive code: control and format characters, lone surrogates, RTL, emoji. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\u202eevil.exe',
  '\ud800',
  '\udfff\ud800',
  '\u200b\u200d\ufeff',
  '👩‍👩‍👧‍👦🏳️‍🌈',
  'مرحبا بالعالم',
  '会议室在三楼',
  '../../etc/passwd',
  '%E0%A4%A',
  '<script>alert(1)</script>',
  '${process.exit()}',
  '__proto__',
  'constructor',
];

/** Objects nested past the depth limit, up to far past any recursive walk's stack. */
export const deepValue = fc
  .constantFrom(21, 1_000, 10_000, 25_000, 50_000)
  .map((depth) => raw(nestedDataJson(depth)));

/** Values of every JSON type, and raw tokens (marked, substituted after serialising). */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 2 ** 53, 1.5, [], {}, [[]], { a: null }),
  fc.constantFrom(...NASTY_STRINGS),
  fc.constantFrom(...RAW_NUMBERS).map((n) => raw(n)),
  deepValue,
  fc.constantFrom(5_001, 70_000, 300_000).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** Whole bodies that are not what any route takes. */
const RAW_BODIES = [
  '',
  '   ',
  'null',
  '[]',
  '"text"',
  '42',
  '{',
  '{"a":1}}',
  '\ufeff{}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]',
  nestedDataJson(100_000),
];

const RAW_MARK = '@@raw:';

function raw(text: string): string {
  return `${RAW_MARK}${Buffer.from(text).toString('base64')}@@`;
}

/** JSON text with every marked raw token put in place. */
export function serialise(value: unknown): string {
  return JSON.stringify(value).replace(/"@@raw:([A-Za-z0-9+/=]*)@@"/g, (_m, b64: string) =>
    Buffer.from(b64, 'base64').toString(),
  );
}

type Path = (string | number)[];

function pathsOf(value: unknown): Path[] {
  const out: Path[] = [[]];
  const stack: { value: unknown; path: Path }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    for (const [key, child] of Object.entries(current)) {
      const childPath = [...path, Array.isArray(current) ? Number(key) : key];
      out.push(childPath);
      stack.push({ value: child, path: childPath });
    }
  }
  return out;
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy;
}

function deleteAt(root: unknown, path: Path): unknown {
  if (path.length === 0) return root;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  if (Array.isArray(node)) node.splice(Number(path.at(-1)), 1);
  else delete node[path.at(-1)!];
  return copy;
}

/**
 * Bodies from and around a schema's values: as generated, with one value of another type
 * or a hostile one, a field dropped, an unknown field added, or a raw text no route takes.
 */
export function bodiesAround(schema: JsonSchema, hints: FieldHints): fc.Arbitrary<FuzzBody> {
  const valid = arbitraryOf(schema, hints);
  // Valid but for free-form data that is nested too deep, too large or full of oddities.
  const hostileData = arbitraryOf(
    schema,
    hints,
    fc.oneof(
      deepValue,
      fc.constantFrom(5_000, 20_000, 300_000).map((n) => ({ pad: 'x'.repeat(n) })),
      fc.dictionary(fc.constantFrom(...NASTY_STRINGS), hostileValue, { maxKeys: 3 }),
    ),
  );
  const at = (value: unknown, pick: number) => {
    const paths = pathsOf(value);
    return paths[pick % paths.length]!;
  };
  return fc.oneof(
    { weight: 4, arbitrary: valid.map((v) => ({ kind: 'valid', text: serialise(v) })) },
    {
      weight: 4,
      arbitrary: fc.tuple(valid, fc.nat(), hostileValue).map(([v, pick, bad]) => {
        const path = at(v, pick);
        return { kind: `replace ${path.join('.')}`, text: serialise(setAt(v, path, bad)) };
      }),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, fc.nat()).map(([v, pick]) => {
        const path = at(v, pick);
        return { kind: `drop ${path.join('.')}`, text: serialise(deleteAt(v, path)) };
      }),
    },
    {
      // Objects and arrays (custom data, member lists) nested far too deep.
      weight: 2,
      arbitrary: fc.tuple(valid, fc.nat(), deepValue).map(([v, pick, deep]) => {
        const containers = pathsOf(v).filter((p) => {
          const value = p.reduce<any>((node, key) => node?.[key], v);
          return p.length > 0 && typeof value === 'object' && value !== null;
        });
        const path = containers[pick % Math.max(1, containers.length)] ?? [];
        return { kind: `deepen ${path.join('.')}`, text: serialise(setAt(v, path, deep)) };
      }),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.string({ maxLength: 10 }), hostileValue)
        .map(([v, key, bad]) => ({
          kind: `extra ${key}`,
          text: serialise(typeof v === 'object' && v !== null ? { ...v, [key]: bad } : v),
        })),
    },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_BODIES).map((text) => ({ kind: 'raw', text })) },
    {
      weight: 3,
      arbitrary: hostileData.map((v) => ({ kind: 'hostile data', text: serialise(v) })),
    },
  );
}

/** A path segment: a hinted value, one the schema allows, or one that breaks URLs. */
export function segmentAround(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: valid.map((s) => encodeURIComponent(s)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '%E0%A4%A',
        '%',
        '%00',
        // ('..' and '%2e%2e' are left out: clients resolve them before sending.)
        '!members-x',
        '%21',
        'x'.repeat(301),
        'x'.repeat(10_000),
        encodeURIComponent('会议'),
        encodeURIComponent('\u202e'),
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((s) => encodeURIComponent(s)) },
  );
}

/** An object's fields as a query string. */
export function encodeQuery(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  return Object.entries(value)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

/** A query string from and around a schema's values. */
export function queryAround(valid: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  const encode = encodeQuery;
  return fc.oneof(
    { weight: 5, arbitrary: valid.map(encode) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(valid, fc.constantFrom('limit', 'cursor', 'since_seq', 'ids', 'user_id', 'x'))
        .chain(([v, key]) =>
          fc
            .constantFrom(
              '1e309',
              '-1',
              'NaN',
              '',
              '%E0%A4%A',
              'a&a=b',
              '9'.repeat(400),
              '[]',
              '0x10',
            )
            .map((bad) => `${encode(v)}&${key}=${bad}`),
        ),
    },
    { weight: 1, arbitrary: valid.map((v) => `${encode(v)}&${encode(v)}`) },
  );
}
