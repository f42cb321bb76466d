import fc from 'fast-check';
import type { FieldHints, JsonSchema } from './json-schema-arbitrary.js';
import { arbitraryOf } from './json-schema-arbitrary.js';
import type { FuzzBody } from './mutations.js';

/** A 1 × 1 PNG. */
const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** Files an upload may carry: kinds it takes, kinds it refuses, and noise. */
const files: fc.Arbitrary<{ kind: string; bytes: Buffer }> = fc.oneof(
  fc.constantFrom(
    { kind: 'pdf', bytes: Buffer.from('%PDF-1.4\n%%EOF\n') },
    { kind: 'png', bytes: PNG_1PX },
    { kind: 'text', bytes: Buffer.from('speaker notes\n') },
    { kind: 'html', bytes: Buffer.from('<!doctype html><script>alert(1)</script>') },
    { kind: 'svg', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>') },
    { kind: 'empty', bytes: Buffer.alloc(0) },
    { kind: 'png header only', bytes: PNG_1PX.subarray(0, 30) },
  ),
  fc.uint8Array({ maxLength: 2_000 }).map((a) => ({ kind: 'random bytes', bytes: Buffer.from(a) })),
);

const fileNames = fc.oneof(
  fc.constantFrom(
    'slides.pdf',
    '../../etc/passwd',
    '\u202Eevil.exe',
    '',
    'a"b\r\nX-Evil: 1',
    '💾.png',
  ),
  fc.string({ maxLength: 40, unit: 'binary' }),
);

/** How the form is laid out: as a browser sends it, or broken in one way. */
const layouts = fc.constantFrom(
  'fields then file',
  'fields then file',
  'file then fields',
  'no file',
  'two files',
  'file named upload',
  'cut short',
  'wrong boundary',
);

/**
 * multipart/form-data bodies for an upload route: its schema's fields (with the world's
 * ids), a file of some kind, and a layout. The bytes go in `bytes`, `text` describes them.
 */
export function multipartBodies(schema: JsonSchema, hints: FieldHints): fc.Arbitrary<FuzzBody> {
  const fieldSchemas = Object.fromEntries(
    Object.entries(schema.properties ?? {}).filter(([name]) => name !== 'file'),
  );
  const fields = arbitraryOf(
    {
      ...schema,
      properties: fieldSchemas,
      required: (schema.required ?? []).filter((f) => f !== 'file'),
    },
    hints,
  );
  return fc
    .record({ fields, file: files, name: fileNames, layout: layouts, cut: fc.nat() })
    .map(({ fields: values, file, name, layout, cut }) => {
      const boundary = `----parleyfuzz${cut % 100_000}`;
      const fieldParts = Object.entries(values as Record<string, unknown>).map(([k, v]) =>
        part(boundary, `name="${k}"`, Buffer.from(String(v))),
      );
      // Quotes and line breaks escaped as browsers do, so the name stays one header value.
      const escaped = name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
      const field = layout === 'file named upload' ? 'upload' : 'file';
      const filePart = part(
        boundary,
        `name="${field}"; filename="${escaped}"\r\nContent-Type: image/png`,
        file.bytes,
      );
      const ordered =
        layout === 'no file'
          ? fieldParts
          : layout === 'file then fields'
            ? [filePart, ...fieldParts]
            : layout === 'two files'
              ? [...fieldParts, filePart, filePart]
              : [...fieldParts, filePart];
      let bytes = Buffer.concat([...ordered, Buffer.from(`--${boundary}--\r\n`)]);
      if (layout === 'cut short') bytes = bytes.subarray(0, cut % Math.max(1, bytes.length));
      const sentBoundary = layout === 'wrong boundary' ? `${boundary}x` : boundary;
      return {
        kind: `multipart (${layout}, ${file.kind})`,
        text: `${JSON.stringify(values)} ${JSON.stringify(name)}`,
        bytes,
        contentType: `multipart/form-data; boundary=${sentBoundary}`,
      };
    });
}

function part(boundary: string, disposition: string, body: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n\r\n`),
    body,
    Buffer.from('\r\n'),
  ]);
}
