import type { AnyTRPCProcedure } from '@trpc/server';

/**
 * Valid-looking inputs built from a procedure's own zod schema, so tests that walk the whole router
 * (organisation isolation, fuzzing) reach every procedure without a hand-written list of inputs.
 * Values come from `samples` by field name where a rule needs a real value (an id of an object that
 * exists, a valid fødselsnummer, a date in the future); everything else is derived from the schema.
 */

/** zod 4's internal definition: enough of it to walk a schema. */
interface Def {
  type: string;
  format?: string;
  shape?: Record<string, Schema>;
  innerType?: Schema;
  in?: Schema;
  element?: Schema;
  options?: Schema[];
  entries?: Record<string, string>;
  values?: unknown[];
  defaultValue?: unknown;
}
interface Schema {
  _zod: { def: Def };
}

export type Samples = Record<string, unknown>;

export function inputSchemaOf(procedure: AnyTRPCProcedure): Schema | undefined {
  return (procedure._def as unknown as { inputs?: Schema[] }).inputs?.[0];
}

/** Unwraps optional, nullable, default and pipes (transform) to the schema that parses the wire value. */
export function unwrap(schema: Schema): Schema {
  let current = schema;
  for (let depth = 0; depth < 10; depth++) {
    const def = current._zod.def;
    if ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'readonly' || def.type === 'nonoptional') && def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else return current;
  }
  return current;
}

export function isOptional(schema: Schema): boolean {
  const type = schema._zod.def.type;
  return type === 'optional' || type === 'default' || (type === 'nullable' && isOptional(schema._zod.def.innerType as Schema));
}

/** The top-level fields of an object input, or {} for a procedure without one. */
export function fieldsOf(schema: Schema | undefined): Record<string, Schema> {
  if (!schema) return {};
  const inner = unwrap(schema);
  return inner._zod.def.type === 'object' ? (inner._zod.def.shape ?? {}) : {};
}

/** Is this field an id (a uuid), or a list of ids? */
export function idKindOf(schema: Schema): 'id' | 'ids' | undefined {
  const inner = unwrap(schema);
  if (inner._zod.def.type === 'string' && inner._zod.def.format === 'uuid') return 'id';
  if (inner._zod.def.type === 'array' && inner._zod.def.element && idKindOf(inner._zod.def.element) === 'id') return 'ids';
  return undefined;
}

/**
 * A value the schema accepts (as far as its shape goes). `samples` win: by dotted path first
 * ("details.nationalId"), then by field name at any depth ("patientId").
 */
export function sampleOf(schema: Schema, samples: Samples, now: Date, path = ''): unknown {
  const name = path.split('.').at(-1) ?? '';
  if (path in samples) return samples[path];
  if (name in samples) return samples[name];
  const inner = unwrap(schema);
  const def = inner._zod.def;
  switch (def.type) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(def.shape ?? {})) {
        // Optional fields only where a sample names them: the base input stays the simplest valid one.
        const fieldPath = path ? `${path}.${key}` : key;
        if (isOptional(field) && !(key in samples) && !(fieldPath in samples)) continue;
        value[key] = sampleOf(field, samples, now, fieldPath);
      }
      return value;
    }
    case 'string':
      if (def.format === 'uuid') return '00000000-0000-4000-8000-000000000001';
      if (def.format === 'date') return now.toISOString().slice(0, 10);
      if (def.format === 'datetime') return now.toISOString();
      if (def.format === 'email') return 'person@example.no';
      return 'Prøvetekst for testen';
    case 'number':
    case 'int':
      return 1;
    case 'boolean':
      return true;
    case 'literal':
      return def.values?.[0];
    case 'enum':
      return Object.values(def.entries ?? {})[0];
    case 'array':
      return def.element ? [sampleOf(def.element, samples, now, `${path}.0`)] : [];
    case 'union':
      return def.options?.[0] ? sampleOf(def.options[0], samples, now, path) : undefined;
    default:
      return undefined;
  }
}
