/**
 * The card editor's posted form back into a card template: inputs are named by the dotted path of
 * their value (`card.buttons.0.url`, the same path a validation problem names), so reading the form
 * walks the same field tree that drew it. Empty inputs are left out (the schema then says what is
 * required), empty rows of repeating groups are dropped, and file inputs
 * (`upload:<kind>:<path>`) are collected as pending uploads together with the object they fill.
 */
import type { ChoiceField, FormField, ObjectField, UploadKind } from './card-form-schema.js';
import type { FormFile } from '../multipart.js';

/** A form body as the console's parsers give it. */
export type FormValues = Record<string, string | string[] | undefined>;

/** A file chosen for an image (or thumbnail) object: the upload's answer is merged into `target`. */
export interface PendingUpload {
  kind: UploadKind;
  /** Where the object sits in the form (`card.media`), for messages next to the field. */
  path: string;
  file: FormFile;
  target: Record<string, unknown>;
}

/** What a submit button asks for besides the form's values. */
export type EditorOp =
  | { kind: 'save' }
  | { kind: 'preview' }
  | { kind: 'add'; path: string }
  | { kind: 'remove'; path: string; index: number };

export interface ParsedEditorForm {
  op: EditorOp;
  name: string;
  card: Record<string, unknown>;
  /** Example values by variable name; rows without a name or a value are left out. */
  sampleVariables: Record<string, string>;
  /** The variable rows as posted (kept for re-showing the form after add/remove). */
  variableRows: { name: string; value: string }[];
  uploads: PendingUpload[];
}

export const uploadFieldName = (kind: UploadKind, path: string) => `upload:${kind}:${path}`;

const PATH = /^card(\.[A-Za-z0-9_-]+)*$|^vars$/;

export function parseOp(value: unknown): EditorOp {
  const v = typeof value === 'string' ? value : '';
  if (v === 'preview') return { kind: 'preview' };
  const add = /^add:(.+)$/.exec(v);
  if (add && PATH.test(add[1])) return { kind: 'add', path: add[1] };
  const remove = /^remove:(.+)\.(\d{1,2})$/.exec(v);
  if (remove && PATH.test(remove[1])) return { kind: 'remove', path: remove[1], index: Number(remove[2]) };
  return { kind: 'save' };
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

interface ReadCtx {
  values: FormValues;
  files: ReadonlyMap<string, FormFile>;
  uploads: PendingUpload[];
  /** Keep empty rows (add/remove ops re-show the rows as they are). */
  keepEmpty: boolean;
}

/** The indices of a repeating group's rows present in the form, in order. */
function rowIndices(ctx: ReadCtx, path: string): number[] {
  const found = new Set<number>();
  const scan = (name: string, prefix: string) => {
    if (!name.startsWith(prefix)) return;
    const i = /^(\d{1,2})(\.|$)/.exec(name.slice(prefix.length));
    if (i) found.add(Number(i[1]));
  };
  for (const name of Object.keys(ctx.values)) scan(name, `${path}.`);
  for (const name of ctx.files.keys()) scan(name.replace(/^upload:[a-z]+:/, ''), `${path}.`);
  return [...found].sort((a, b) => a - b);
}

/** `value` starts as `start` (a choice's tag): an upload's target must be the very object that lands in the card. */
function readObject(field: ObjectField, path: string, ctx: ReadCtx, skip: ReadonlySet<string> = new Set(), start: Record<string, unknown> = {}): { value: Record<string, unknown>; filled: boolean } {
  const value: Record<string, unknown> = start;
  let filled = false;
  for (const f of field.fields) {
    if (skip.has(f.key)) continue;
    const v = read(f, `${path}.${f.key}`, ctx);
    if (v === undefined) continue;
    value[f.key] = v;
    if (f.kind !== 'const') filled = true;
  }
  const file = field.upload && ctx.files.get(uploadFieldName(field.upload, path));
  if (field.upload && file) {
    ctx.uploads.push({ kind: field.upload, path, file, target: value });
    filled = true;
  }
  return { value, filled };
}

function readChoice(field: ChoiceField, path: string, ctx: ReadCtx): Record<string, unknown> | undefined {
  const tag = first(ctx.values[`${path}.${field.discriminator}`]);
  if (tag === undefined) return undefined;
  const variant = field.variants.find((v) => v.value === tag);
  // An unknown tag is kept as posted: the schema names it.
  if (!variant) return { [field.discriminator]: tag };
  const { value, filled } = readObject(variant.field, path, ctx, new Set([field.discriminator]), { [field.discriminator]: tag });
  return filled || ctx.keepEmpty ? value : undefined;
}

function read(field: FormField, path: string, ctx: ReadCtx): unknown {
  switch (field.kind) {
    case 'const':
      return field.value;
    case 'text': {
      const v = first(ctx.values[path])?.trim();
      return v ? v.replace(/\r\n/g, '\n') : undefined;
    }
    case 'integer': {
      const v = first(ctx.values[path])?.trim();
      if (!v) return undefined;
      // Anything but digits goes to the schema as the string it is, so the problem is named there.
      return /^-?\d{1,15}$/.test(v) ? Number(v) : v;
    }
    case 'enum': {
      const v = first(ctx.values[path]);
      if (!v) return undefined;
      return field.options.find((o) => String(o) === v) ?? v;
    }
    case 'object': {
      const { value, filled } = readObject(field, path, ctx);
      return filled ? value : undefined;
    }
    case 'choice':
      return readChoice(field, path, ctx);
    case 'list': {
      const rows = rowIndices(ctx, path).map((i) => read(field.item, `${path}.${i}`, ctx) ?? (ctx.keepEmpty ? emptyRow(field.item) : undefined));
      const kept = rows.filter((r) => r !== undefined);
      return kept.length ? kept : undefined;
    }
  }
}

/** A new, empty row of a repeating group (a choice starts at its first variant). */
export function emptyRow(item: ObjectField | ChoiceField): Record<string, unknown> {
  return item.kind === 'choice' ? { [item.discriminator]: item.variants[0].value } : {};
}

/** Reads the editor's form: template name, card, variable rows, pending uploads, and the op. */
export function parseEditorForm(form: ObjectField, values: FormValues, files: ReadonlyMap<string, FormFile>): ParsedEditorForm {
  const op = parseOp(first(values.op));
  const ctx: ReadCtx = { values, files, uploads: [], keepEmpty: op.kind === 'add' || op.kind === 'remove' };
  const { value: card } = readObject(form, 'card', ctx);
  const variableRows = rowIndices(ctx, 'vars').map((i) => ({
    name: (first(values[`vars.${i}.name`]) ?? '').trim(),
    value: first(values[`vars.${i}.value`]) ?? '',
  })).filter((r) => ctx.keepEmpty || r.name !== '' || r.value !== '');
  const sampleVariables: Record<string, string> = {};
  for (const r of variableRows) if (r.name && r.value !== '') sampleVariables[r.name] = r.value;
  return { op, name: (first(values.name) ?? '').trim(), card, sampleVariables, variableRows, uploads: ctx.uploads };
}
