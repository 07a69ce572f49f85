/**
 * Message templates (DOMAIN §2): fixed, carrier-reviewed text with variables such as
 * {{name}}, {{date}}, {{code}}. Rendered with handlebars; compiled once per body and cached,
 * because one template renders for every number of a 100,000-number batch.
 *
 * Pure apart from the module-level compile cache; no I/O.
 */
import Handlebars from 'handlebars';

/** Thrown by `render` when a variable is missing, null/undefined or not a printable scalar. */
export class TemplateVariableError extends Error {
  /** `TEMPLATE_VARIABLE_MISSING` (absent, null, undefined) or `TEMPLATE_VARIABLE_INVALID` (object, function…). */
  readonly code: 'TEMPLATE_VARIABLE_MISSING' | 'TEMPLATE_VARIABLE_INVALID';
  /** Name of the offending variable, e.g. `name`. */
  readonly field: string;
  /** Same as {@link TemplateVariableError.field}; reads better at call sites building `variables.<name>`. */
  readonly variable: string;

  constructor(code: TemplateVariableError['code'], field: string, message: string) {
    super(message);
    this.name = 'TemplateVariableError';
    this.code = code;
    this.field = field;
    this.variable = field;
  }
}

/** Thrown by {@link compileTemplate} when a body uses more than plain `{{variable}}` substitution. */
export class TemplateSyntaxError extends Error {
  readonly code = 'TEMPLATE_SYNTAX' as const;
  readonly field = 'body';

  constructor(message: string) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

/** A compiled template. Immutable and shared through the cache. */
export interface CompiledTemplate {
  /**
   * Variable names used by the body, in first-use order, without duplicates. A fresh copy on
   * each read: the compiled template is cached and shared, so callers must not alter its state.
   */
  readonly variables: string[];
  /**
   * Render with the given values. Strings, numbers, bigints and booleans are printed as is (no
   * HTML escaping: this is SMS text).
   * @throws {TemplateVariableError} when a used variable is missing or not a scalar.
   */
  render(vars: Record<string, unknown>): string;
}

/** Upper bound on cached compiled templates; least recently used entries are dropped first. */
export const TEMPLATE_CACHE_LIMIT = 1000;

const cache = new Map<string, CompiledTemplate>();

/**
 * Private handlebars environment with the built-in helpers removed, so a variable called `log`,
 * `lookup`, `if`, … is looked up in the data instead of calling a helper.
 */
const BUILT_IN_HELPERS = ['each', 'if', 'unless', 'with', 'log', 'lookup'] as const;
const hb = Handlebars.create();
for (const h of BUILT_IN_HELPERS) hb.unregisterHelper(h);
const COMPILE_OPTIONS: CompileOptions = {
  noEscape: true,
  strict: true,
  knownHelpers: Object.fromEntries(BUILT_IN_HELPERS.map((h) => [h, false])),
};

/**
 * Compile a template body (cached by body text).
 *
 * Only plain variables are allowed: `{{name}}` or `{{{name}}}` with a single identifier, and
 * comments. Blocks, helpers, partials and paths (`{{a.b}}`, `{{../x}}`, `{{@index}}`) are refused:
 * the body is carrier-reviewed fixed text, so it must not contain logic that changes it per send.
 *
 * @throws {TemplateSyntaxError} when the body does not parse or uses more than plain variables.
 */
export function compileTemplate(body: string): CompiledTemplate {
  const hit = cache.get(body);
  if (hit) {
    // Re-insert to mark as most recently used (Map keeps insertion order).
    cache.delete(body);
    cache.set(body, hit);
    return hit;
  }

  const variables: readonly string[] = Object.freeze(collectVariables(body));
  const fn = hb.compile(body, COMPILE_OPTIONS);
  const compiled: CompiledTemplate = Object.freeze({
    get variables(): string[] {
      return [...variables];
    },
    render(vars: Record<string, unknown>): string {
      // Checked up front, with own properties only: handlebars strict mode would accept an
      // inherited name such as `constructor` and silently print nothing.
      for (const name of variables) {
        const value = Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined;
        if (value === undefined || value === null) {
          throw new TemplateVariableError('TEMPLATE_VARIABLE_MISSING', name, `template variable "${name}" is missing`);
        }
        const t = typeof value;
        if (t !== 'string' && t !== 'number' && t !== 'bigint' && t !== 'boolean') {
          throw new TemplateVariableError(
            'TEMPLATE_VARIABLE_INVALID',
            name,
            `template variable "${name}" must be a string, number or boolean, got ${Array.isArray(value) ? 'array' : t}`,
          );
        }
      }
      return fn(vars);
    },
  });

  cache.set(body, compiled);
  if (cache.size > TEMPLATE_CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  return compiled;
}

/** Empty the compile cache (tests, or after a template library reload). */
export function clearTemplateCache(): void {
  cache.clear();
}

/** Number of cached compiled templates (observability, tests). */
export function templateCacheSize(): number {
  return cache.size;
}

function collectVariables(body: string): string[] {
  let program: hbs.AST.Program;
  try {
    program = hb.parse(body);
  } catch (err) {
    throw new TemplateSyntaxError(`template does not parse: ${(err as Error).message}`);
  }
  const names: string[] = [];
  for (const stmt of program.body) {
    switch (stmt.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        break;
      case 'MustacheStatement': {
        const m = stmt as hbs.AST.MustacheStatement;
        const path = m.path as hbs.AST.PathExpression;
        const simple =
          m.path.type === 'PathExpression' &&
          m.params.length === 0 &&
          (m.hash === undefined || m.hash.pairs.length === 0) &&
          !path.data &&
          path.depth === 0 &&
          path.parts.length === 1 &&
          path.original === path.parts[0];
        if (!simple) {
          throw new TemplateSyntaxError(`only plain variables like {{name}} are allowed, got {{${describe(m)}}}`);
        }
        if (!names.includes(path.parts[0])) names.push(path.parts[0]);
        break;
      }
      default:
        throw new TemplateSyntaxError(`only plain variables like {{name}} are allowed, got a ${stmt.type}`);
    }
  }
  return names;
}

function describe(m: hbs.AST.MustacheStatement): string {
  const p = m.path as { original?: unknown };
  return typeof p.original === 'string' ? p.original : m.path.type;
}
