/**
 * Turns the OpenAPI document into a flat view model for the /docs page: operations grouped by tag,
 * schemas flattened into field tables (dotted names, $refs resolved), examples pretty-printed.
 * Works on the document alone, so the page can never disagree with /openapi.json.
 */
import { ERROR_CODES, UPSTREAM_CODES } from './error-codes.js';

// `any` on purpose: this walks plain JSON whose shape the document builders already fixed.
type Obj = Record<string, any>;

export interface FieldRow { name: string; type: string; required: boolean; rules: string; description: string }
export interface ParamRow extends FieldRow { location: string }
export interface ResponseView { status: string; description: string; fields: FieldRow[]; example: string | null; codes: string[] }
export interface OperationView {
  anchor: string; method: string; path: string; summary: string; description: string; auth: string;
  params: ParamRow[]; bodyFields: FieldRow[]; bodyExamples: { summary: string; json: string }[]; responses: ResponseView[];
}
export interface DocsView {
  title: string; version: string; description: string;
  groups: { tag: string; description: string; operations: OperationView[] }[];
  errorCodes: { code: string; status: string; meaning: string }[];
  upstreamCodes: { code: string; meaning: string }[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const MAX_DEPTH = 5;

function resolver(doc: Obj) {
  return (s: Obj | undefined): Obj => {
    let cur = s ?? {};
    for (let i = 0; i < 10 && typeof cur.$ref === 'string'; i++) {
      const { $ref, ...rest } = cur;
      const target = ($ref as string).replace(/^#\//, '').split('/').reduce((o: Obj | undefined, k) => o?.[k], doc) ?? {};
      cur = { ...target, ...rest };
    }
    return cur;
  };
}

/** Merges allOf members and picks the non-null branch of a `oneOf [X, null]` (kept unresolved as `raw`). */
function normalise(s: Obj, resolve: (s: Obj) => Obj): { schema: Obj; raw: Obj; nullable: boolean } {
  let raw = s;
  let schema = resolve(s);
  let nullable = false;
  if (Array.isArray(schema.oneOf) && schema.oneOf.length === 2 && schema.oneOf.some((b: Obj) => b.type === 'null')) {
    nullable = true;
    raw = schema.oneOf.find((b: Obj) => b.type !== 'null');
    schema = resolve(raw);
  }
  if (Array.isArray(schema.allOf)) {
    const parts = schema.allOf.map((p: Obj) => resolve(p));
    schema = {
      ...Object.assign({}, ...parts),
      ...schema,
      properties: Object.assign({}, ...parts.map((p: Obj) => p.properties ?? {}), schema.properties ?? {}),
      required: [...parts.flatMap((p: Obj) => p.required ?? []), ...(schema.required ?? [])],
    };
    delete schema.allOf;
  }
  return { schema, raw, nullable };
}

const refName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

/** Enums and scalars show their values; named object schemas show their name. */
function typeLabel(raw: Obj, resolve: (s: Obj) => Obj): string {
  const s = normalise(raw, resolve).schema;
  if (typeof raw.$ref === 'string' && (s.properties || s.oneOf || s.allOf)) return refName(raw.$ref);
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return s.enum.map((v: unknown) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(s.oneOf)) return s.oneOf.map((b: Obj) => typeLabel(b, resolve)).join(' | ');
  const t = Array.isArray(s.type) ? s.type.join(' | ') : (s.type ?? 'any');
  if (t === 'array') {
    const item = typeLabel(s.items ?? {}, resolve);
    return item.includes(' | ') ? `(${item})[]` : `${item}[]`;
  }
  return s.format ? `${t} (${s.format})` : t;
}

function rules(s: Obj): string {
  const r: string[] = [];
  const range = (lo: unknown, hi: unknown, unit: string) => {
    if (lo !== undefined && hi !== undefined) r.push(`${unit}${lo}–${hi}`);
    else if (lo !== undefined) r.push(`${unit}≥ ${lo}`);
    else if (hi !== undefined) r.push(`${unit}≤ ${hi}`);
  };
  range(s.minLength, s.maxLength, 'length ');
  range(s.minimum, s.maximum, '');
  range(s.minItems, s.maxItems, 'items ');
  if (s.pattern) r.push(`pattern ${s.pattern}`);
  if (s.default !== undefined) r.push(`default ${JSON.stringify(s.default)}`);
  if (s.additionalProperties === false) r.push('no other keys');
  return r.join('; ');
}

export function schemaFields(input: Obj | undefined, doc: Obj, prefix = '', depth = 0): FieldRow[] {
  if (!input || depth > MAX_DEPTH) return [];
  const resolve = resolver(doc);
  const { schema } = normalise(input, resolve);
  if (schema.type === 'array' && !prefix) return schemaFields(schema.items, doc, '[]', depth + 1);
  // A union of named objects (e.g. Report = StatusReport | MoReport): one block of fields per branch.
  if (Array.isArray(schema.oneOf) && !schema.properties) {
    return schema.oneOf.flatMap((b: Obj) => (typeof b.$ref === 'string' ? schemaFields(b, doc, `${prefix} (${refName(b.$ref)})`, depth + 1) : []));
  }
  const props: Obj = schema.properties ?? {};
  const required = new Set<string>(schema.required ?? []);
  const rows: FieldRow[] = [];
  for (const [key, rawProp] of Object.entries(props)) {
    const { schema: p, raw, nullable } = normalise(rawProp as Obj, resolve);
    const name = prefix ? `${prefix}.${key}` : key;
    rows.push({
      name,
      type: typeLabel(raw, resolve) + (nullable ? ' | null' : ''),
      required: required.has(key),
      rules: rules(p),
      description: (rawProp as Obj).description ?? p.description ?? '',
    });
    if (p.type === 'object' && (p.properties || p.oneOf)) rows.push(...schemaFields(p, doc, name, depth + 1));
    if (p.type === 'array') {
      const item = normalise(p.items ?? {}, resolve).schema;
      if (item.properties || item.oneOf) rows.push(...schemaFields(item, doc, `${name}[]`, depth + 1));
    }
  }
  return rows;
}

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

function firstExample(media: Obj | undefined): string | null {
  if (!media) return null;
  if (media.example !== undefined) return pretty(media.example);
  const first = Object.values((media.examples ?? {}) as Obj)[0] as Obj | undefined;
  return first ? pretty(first.value) : null;
}

function operationView(doc: Obj, method: string, path: string, op: Obj): OperationView {
  const resolve = resolver(doc);
  const security: Obj[] = op.security ?? [];
  const auth = security.length === 0 ? 'none' : security.map((s) => Object.keys(s).join(' + ')).join(' or ');
  const params: ParamRow[] = (op.parameters ?? []).map((raw: Obj) => {
    const p = resolve(raw);
    const s = normalise(p.schema ?? {}, resolve).schema;
    return { location: p.in, name: p.name, type: typeLabel(p.schema ?? {}, resolve), required: !!p.required, rules: rules(s), description: p.description ?? '' };
  });
  const body: Obj | undefined = op.requestBody?.content?.['application/json'];
  const responses: ResponseView[] = Object.entries((op.responses ?? {}) as Obj).map(([status, r]) => {
    const media: Obj | undefined = Object.values((r.content ?? {}) as Obj)[0] as Obj | undefined;
    const isError = /^[45]/.test(status);
    const codes: string[] = isError ? (media?.schema?.properties?.error?.properties?.code?.enum ?? []) : [];
    return {
      status,
      description: isError ? '' : r.description,
      fields: isError ? [] : schemaFields(media?.schema, doc),
      example: isError ? null : firstExample(media),
      codes,
    };
  });
  return {
    anchor: op.operationId,
    method: method.toUpperCase(),
    path,
    summary: op.summary ?? '',
    description: op.description ?? '',
    auth,
    params,
    bodyFields: schemaFields(body?.schema, doc),
    bodyExamples: Object.values((body?.examples ?? {}) as Obj).map((e: Obj) => ({ summary: e.summary, json: pretty(e.value) })),
    responses,
  };
}

export function docsView(doc: Obj): DocsView {
  const byTag = new Map<string, OperationView[]>();
  const add = (method: string, path: string, op: Obj) => {
    const tag = op.tags?.[0] ?? 'Other';
    byTag.set(tag, [...(byTag.get(tag) ?? []), operationView(doc, method, path, op)]);
  };
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Obj)) for (const m of METHODS) if (item[m]) add(m, path, item[m]);
  for (const [name, item] of Object.entries((doc.webhooks ?? {}) as Obj)) for (const m of METHODS) if (item[m]) add(m, `webhook: ${name}`, item[m]);
  const tags: Obj[] = doc.tags ?? [];
  return {
    title: doc.info?.title ?? 'API',
    version: doc.info?.version ?? '',
    description: doc.info?.description ?? '',
    groups: [...byTag].map(([tag, operations]) => ({ tag, description: tags.find((t) => t.name === tag)?.description ?? '', operations }))
      .sort((a, b) => tags.findIndex((t) => t.name === a.tag) - tags.findIndex((t) => t.name === b.tag)),
    errorCodes: Object.entries(ERROR_CODES).map(([code, info]) => ({ code, status: info.status === null ? 'message' : String(info.status), meaning: info.meaning })),
    upstreamCodes: Object.entries(UPSTREAM_CODES).map(([code, meaning]) => ({ code, meaning })),
  };
}
