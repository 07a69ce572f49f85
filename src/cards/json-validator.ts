/**
 * The platform's one JSON Schema (2020-12) validator: a single ajv instance with ajv-formats and
 * the template keywords, holding the card schemas and the card API's request schemas. Everything
 * is compiled once, when first used; validating is then a plain function call (microseconds), so
 * a 100,000-recipient send can validate every rendered card.
 *
 * Failures become the platform's 400 shape: `field` is the dotted path of the first problem (the
 * JSON pointer /cards/0/buttons/1/url reads card.cards.0.buttons.1.url), `details` lists up to 20
 * problems as {field, rule, message}, `rule` being the JSON Schema keyword that failed.
 */
import { Ajv2020, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { AppError } from '../http/app-error.js';
import { addTemplateKeywords } from './template-keywords.js';

/** One broken rule, in the platform's error-detail shape. */
export interface SchemaProblem {
  /** Dotted path of the offending value, e.g. `card.buttons.0.url`. */
  field: string;
  /** The JSON Schema keyword that failed: maxLength, format, pattern, required, enum, … */
  rule: string;
  message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: SchemaProblem[] };

let instance: Ajv2020 | undefined;

/** The shared validator instance (created on first use). */
export function jsonValidator(): Ajv2020 {
  if (!instance) {
    instance = new Ajv2020({ allErrors: true, discriminator: true, strictTypes: false });
    // CommonJS: under NodeNext the default import is module.exports, which also carries .default.
    ajvFormats.default(instance);
    addTemplateKeywords(instance);
  }
  return instance;
}

const MAX_PROBLEMS = 20;

/** Dotted field from a JSON pointer (`/a/0/b~1c` → `a.0.b/c`), under `prefix` when given. */
export function dottedField(pointer: string, prefix = ''): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return [prefix, ...parts].filter((p) => p !== '').join('.');
}

function describe(e: ErrorObject): { field: string; message: string } {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return { field: `${e.instancePath}/${String(p.missingProperty)}`, message: 'is required' };
    case 'additionalProperties':
      return { field: `${e.instancePath}/${String(p.additionalProperty)}`, message: 'is not a field of this object (remove it)' };
    case 'const':
      return { field: e.instancePath, message: `must be ${JSON.stringify(p.allowedValue)}` };
    case 'enum':
      return { field: e.instancePath, message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'discriminator':
      return { field: `${e.instancePath}/${String(p.tag)}`, message: p.error === 'tag' ? 'is required (a string)' : `${JSON.stringify(p.tagValue)} is not a known kind` };
    default:
      return { field: e.instancePath, message: e.message ?? 'is invalid' };
  }
}

/** Maps ajv errors to problems, dropping repeats and the echo a discriminator adds to an enum miss. */
export function problemsOf(errors: readonly ErrorObject[] | null | undefined, prefix = ''): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    const d = describe(e);
    const field = dottedField(d.field, prefix);
    if (e.keyword === 'discriminator' && out.some((o) => o.field === field)) continue;
    const key = `${field}\u0000${e.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field, rule: e.keyword, message: d.message });
    if (out.length === MAX_PROBLEMS) break;
  }
  return out;
}

/**
 * The validator of a request schema published under `$id` (compiled once on the shared instance,
 * then looked up by id): API schema files name their schemas and call this.
 */
export function compiledSchema(id: string, schema: AnySchemaObject): ValidateFunction {
  const ajv = jsonValidator();
  return ajv.getSchema(id) ?? ajv.compile({ $id: id, ...schema });
}

/** Runs a compiled validator: the value, or its problems with fields under `prefix`. */
export function check<T>(validate: ValidateFunction, data: unknown, prefix = ''): Checked<T> {
  return validate(data) ? { ok: true, value: data as T } : { ok: false, problems: problemsOf(validate.errors, prefix) };
}

/** The 400 an API answers with for schema problems: `code` names the situation, `field` the first problem. */
export function validationError(problems: SchemaProblem[], code: 'VALIDATION_FAILED' | 'CARD_RENDERED_INVALID' = 'VALIDATION_FAILED', hint = ''): AppError {
  const first = problems[0];
  const where = first ? `${first.field || 'body'}: ${first.message}` : 'invalid';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''} in details)` : '';
  return new AppError(400, code, `${where}${hint}${more}`, first?.field || undefined, problems);
}

/** Validates a request body (or query) against a compiled schema; throws VALIDATION_FAILED. */
export function parseWith<T>(validate: ValidateFunction, data: unknown, prefix = ''): T {
  const r = check<T>(validate, data, prefix);
  if (!r.ok) throw validationError(r.problems);
  return r.value;
}
