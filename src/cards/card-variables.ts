/**
 * {{variables}} in a card template: which ones it uses (every string of the card is a handlebars
 * body limited to plain `{{name}}` substitutions, the same rule as text-message templates), and the
 * card they render into.
 *
 * Values are inserted as written (the HTML renderer escapes at output), except inside URLs: in the
 * URL fields (`url`, `deepLink`, `fallbackUrl`, and a mini-program `path`) a variable that is part
 * of a longer value is percent-encoded (`https://shop.example/c/{{code}}` with `a b` gives
 * `.../c/a%20b`), while a field that is exactly one variable (`{{link}}`) takes the value as is.
 */
import { AppError } from '../http/app-error.js';
import { compileTemplate, TemplateSyntaxError, TemplateVariableError } from '../content/template-render.js';
import { hasVariable } from './template-keywords.js';

/** Variable values: printable scalars. */
export type CardVariableValues = Record<string, string | number | boolean>;

export const URL_FIELDS: ReadonlySet<string> = new Set(['url', 'deepLink', 'fallbackUrl', 'path']);
const WHOLE_VARIABLE = /^\{\{\{?\s*[^{}\s]+\s*\}?\}\}$/;

type Visit = (value: string, path: (string | number)[]) => string;

/** Copies a JSON value, passing every string through `visit` with its path. */
function mapStrings(value: unknown, visit: Visit, path: (string | number)[] = []): unknown {
  if (typeof value === 'string') return visit(value, path);
  if (Array.isArray(value)) return value.map((v, i) => mapStrings(v, visit, [...path, i]));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, visit, [...path, k])]));
  }
  return value;
}

const dotted = (prefix: string, path: (string | number)[]) => [prefix, ...path].filter((p) => p !== '').join('.');

/**
 * The variable names a card template uses, in first-use order.
 * @throws AppError TEMPLATE_SYNTAX naming the field when a string uses more than plain variables.
 */
export function cardVariables(card: unknown, prefix = 'card'): string[] {
  const names: string[] = [];
  mapStrings(card, (s, path) => {
    if (!hasVariable(s)) return s;
    try {
      for (const n of compileTemplate(s).variables) if (!names.includes(n)) names.push(n);
    } catch (err) {
      if (err instanceof TemplateSyntaxError) throw new AppError(400, 'TEMPLATE_SYNTAX', `${dotted(prefix, path)}: ${err.message}`, dotted(prefix, path));
      throw err;
    }
    return s;
  });
  return names;
}

/** Where each rendered field took its variables from (to say which value broke a rule). */
export type VariableSources = Map<string, string[]>;

/**
 * The card with every {{variable}} replaced (not yet validated).
 * @throws AppError TEMPLATE_VARIABLE_MISSING / TEMPLATE_VARIABLE_INVALID with field `variables.<name>`.
 */
export function renderCardVariables(card: unknown, values: Readonly<Record<string, unknown>>, sources?: VariableSources): unknown {
  return mapStrings(card, (s, path) => {
    if (!hasVariable(s)) return s;
    const t = compileTemplate(s);
    const key = path[path.length - 1];
    const encode = typeof key === 'string' && URL_FIELDS.has(key) && !WHOLE_VARIABLE.test(s.trim());
    sources?.set(path.join('.'), t.variables);
    try {
      return t.render(encode ? encodeValues(values, t.variables) : values);
    } catch (err) {
      if (err instanceof TemplateVariableError) {
        throw new AppError(400, err.code, `variables.${err.variable}: ${err.message}`, `variables.${err.variable}`);
      }
      throw err;
    }
  });
}

function encodeValues(values: Readonly<Record<string, unknown>>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  for (const n of names) {
    const v = Object.prototype.hasOwnProperty.call(values, n) ? values[n] : undefined;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[n] = encodeURIComponent(String(v));
  }
  return out;
}
