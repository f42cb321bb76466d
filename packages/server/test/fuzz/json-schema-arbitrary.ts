import fc from 'fast-check';

/** The part of JSON Schema that zod's generator emits for Parley's inputs. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
}

/**
 * Values for named fields (ids of users and channels that exist, say), so that generated
 * requests reach past "not found" into the code that does the work. Each is mixed with the
 * schema's own values.
 */
export type FieldHints = Record<string, fc.Arbitrary<unknown>>;

/** Any JSON value, shallow: what custom data and "anything" fields get. */
export const jsonValue: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3 });

/**
 * Values that a schema accepts, as far as JSON Schema can say (refinements aside). With
 * `records`, every free-form object (custom data) is present and drawn from it instead: a
 * way to put hostile values exactly where the server takes arbitrary JSON.
 */
export function arbitraryOf(
  schema: JsonSchema,
  hints: FieldHints = {},
  records?: fc.Arbitrary<unknown>,
): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union !== undefined) return fc.oneof(...union.map((s) => arbitraryOf(s, hints, records)));
  const type = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (type.length > 1) {
    return fc.oneof(...type.map((t) => arbitraryOf({ ...schema, type: t }, hints, records)));
  }
  switch (type[0]) {
    case 'object':
      return objectOf(schema, hints, records);
    case 'array':
      return fc.array(arbitraryOf(schema.items ?? {}, hints, records), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 5, 5),
      });
    case 'string':
      return stringOf(schema);
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1_000, max: schema.maximum ?? 1_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    default:
      return jsonValue;
  }
}

const ABSENT = Symbol('absent');

const isRecord = (schema: JsonSchema) =>
  schema.type === 'object' && Object.keys(schema.properties ?? {}).length === 0;

function objectOf(
  schema: JsonSchema,
  hints: FieldHints,
  records: fc.Arbitrary<unknown> | undefined,
): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  if (isRecord(schema)) {
    // A record (custom data): any JSON object.
    return records ?? fc.dictionary(fc.string({ maxLength: 8 }), jsonValue, { maxKeys: 4 });
  }
  const required = new Set(schema.required ?? []);
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, property] of Object.entries(properties)) {
    const own = arbitraryOf(property, hints, records);
    const hint = hints[name];
    const value = hint === undefined ? own : fc.oneof({ arbitrary: hint, weight: 3 }, own);
    // Optional fields come one time in four: requests with every option set at once are
    // mostly refused for combining them, and would hide the paths behind validation.
    fields[name] =
      required.has(name) || (records !== undefined && isRecord(property))
        ? value
        : fc.oneof({ arbitrary: fc.constant(ABSENT), weight: 3 }, value);
  }
  return fc
    .record(fields)
    .map((record) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== ABSENT)));
}

function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'date-time') {
    return fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
  }
  if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern));
  return fc.string({
    minLength: schema.minLength ?? 0,
    maxLength: Math.min(schema.maxLength ?? 40, 40),
    unit: 'grapheme',
  });
}
