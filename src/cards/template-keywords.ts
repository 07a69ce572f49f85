/**
 * Template-time validation of cards. A card template holds {{variables}} in its text fields and
 * URLs, so `https://shop.example/c/{{code}}` is not yet a URI and `{{name}}` is not yet a title of
 * known length. Every card schema is therefore compiled twice on the one validator: as written
 * (send time: the rendered card must satisfy every rule) and as a template variant, where string
 * rules become the `tpl*` keywords below:
 *
 * - a string without variables is checked exactly as at send time;
 * - with variables, `format` and `pattern` wait for the rendered card, `minLength` is met, and
 *   `maxLength` applies to the fixed text around the variables (the rendered text is checked again).
 *
 * `const` and `enum` values (card type, button type, mime) never take variables.
 */
import type { Ajv2020, AnySchemaObject, Format, FormatDefinition } from 'ajv/dist/2020.js';

const VARIABLE = /\{\{\{?[^{}]*\}?\}\}/g;
const HAS_VARIABLE = /\{\{/;

/** The text a template field keeps whatever the variables are. */
export const fixedText = (s: string) => s.replace(VARIABLE, '');
export const hasVariable = (s: string) => HAS_VARIABLE.test(s);

const KEYWORDS = { maxLength: 'tplMaxLength', minLength: 'tplMinLength', format: 'tplFormat', pattern: 'tplPattern' } as const;

const codePoints = (s: string) => [...s].length;

function formatTest(format: Format | undefined): (s: string) => boolean {
  if (format === undefined || format === true) return () => true;
  if (typeof format === 'string') return (s) => new RegExp(format, 'u').test(s);
  if (format instanceof RegExp) return (s) => format.test(s);
  if (typeof format === 'function') return (s) => (format as (s: string) => boolean)(s);
  const v = (format as FormatDefinition<string>).validate;
  if (v instanceof RegExp) return (s) => v.test(s);
  if (typeof v === 'string') return (s) => new RegExp(v, 'u').test(s);
  return (s) => (v as (s: string) => boolean)(s) === true;
}

type KeywordFn = ((schema: never, data: string) => boolean) & { errors?: unknown[] };

/** Registers the tpl* keywords on the validator (each reports under the keyword it stands for). */
export function addTemplateKeywords(ajv: Ajv2020): void {
  const fail = (fn: KeywordFn, keyword: string, message: string, params: Record<string, unknown>) => {
    fn.errors = [{ keyword, message, params }];
    return false;
  };
  const maxLength: KeywordFn = (limit: number, s: string) => {
    const templated = hasVariable(s);
    if (codePoints(templated ? fixedText(s) : s) <= limit) return true;
    return fail(maxLength, 'maxLength', `must NOT have more than ${limit} characters${templated ? ' (not counting {{variables}})' : ''}`, { limit });
  };
  const minLength: KeywordFn = (limit: number, s: string) =>
    hasVariable(s) || codePoints(s) >= limit || fail(minLength, 'minLength', `must NOT have fewer than ${limit} characters`, { limit });
  const pattern: KeywordFn = (p: string, s: string) =>
    hasVariable(s) || new RegExp(p, 'u').test(s) || fail(pattern, 'pattern', `must match pattern "${p}"`, { pattern: p });
  const format: KeywordFn = (name: string, s: string) =>
    hasVariable(s) || formatTest(ajv.formats[name])(s) || fail(format, 'format', `must match format "${name}"`, { format: name });
  const define = (keyword: string, schemaType: 'number' | 'string', validate: KeywordFn) =>
    ajv.addKeyword({ keyword, type: 'string', schemaType, errors: true, validate: validate as never });
  define(KEYWORDS.maxLength, 'number', maxLength);
  define(KEYWORDS.minLength, 'number', minLength);
  define(KEYWORDS.pattern, 'string', pattern);
  define(KEYWORDS.format, 'string', format);
}

/**
 * The template variant of a schema: string rules swapped for their tpl* keywords, and `$id`
 * moved from `…/card-schemas/x` to `…/card-schemas/template/x`, so relative $refs between the
 * files resolve to the template variants too.
 */
export function templateVariant(schema: AnySchemaObject): AnySchemaObject {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      const swapped = k in KEYWORDS && (typeof v === 'string' || typeof v === 'number') ? KEYWORDS[k as keyof typeof KEYWORDS] : k;
      out[swapped] = k === 'properties' || k === '$defs' ? mapValues(v as Record<string, unknown>, walk) : walk(v);
    }
    return out;
  };
  const variant = walk(schema) as AnySchemaObject;
  if (typeof schema.$id === 'string') variant.$id = templateId(schema.$id);
  return variant;
}

/** `…/card-schemas/coupon.v1.json` → `…/card-schemas/template/coupon.v1.json`. */
export const templateId = (id: string) => id.replace(/\/([^/]+)$/, '/template/$1');

const mapValues = (o: Record<string, unknown>, fn: (v: unknown) => unknown) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, fn(v)]));
