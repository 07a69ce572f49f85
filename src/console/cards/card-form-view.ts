/**
 * What templates/console/partials/card-field.hbs draws: the card form's field tree with the current
 * values, each input named by its value's path and carrying the problems reported for that path.
 * Problems no input claims (a rule on a whole group, say) stay in the summary at the top.
 */
import { humanize, type ChoiceField, type FormField, type ObjectField } from './card-form-schema.js';
import { uploadFieldName } from './card-form-parse.js';

/** A problem as the cards module reports it (`field` is a dotted path such as `card.buttons.0.url`). */
export interface FieldProblem {
  field: string;
  message: string;
}

export interface FieldView {
  kind: FormField['kind'];
  name: string;
  id: string;
  label: string;
  help?: string;
  required: boolean;
  errors: string[];
  [extra: string]: unknown;
}

/** An id safe for HTML and CSS: `card.buttons.0.url` → `f-card-buttons-0-url`. */
export const fieldId = (path: string, variant?: string) => `f-${path.replace(/[^A-Za-z0-9_-]/g, '-')}${variant ? `--${variant}` : ''}`;

/** A problem's path as the marketer reads it: `card.buttons.0.url` → `Buttons › 1 › URL`. */
export function describeField(path: string): string {
  if (path === '') return 'Template';
  if (path === 'name') return 'Template name';
  const sample = /^sampleVariables\.(.+)$/.exec(path);
  if (sample) return `Sample value of {{${sample[1]}}}`;
  const row = /^vars\.(\d+)\./.exec(path);
  if (row) return `Sample variables, row ${Number(row[1]) + 1}`;
  const parts = path.split('.').filter((s, i) => !(i === 0 && s === 'card'));
  return parts.map((s) => (/^\d+$/.test(s) ? String(Number(s) + 1) : humanize(s))).join(' › ') || 'Card';
}

const IMAGE_SOURCE = /^(https:\/\/|\/m\/[A-Za-z0-9_-]+$)/;
const asRecord = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

class ViewBuilder {
  /** The id of the input that shows each path's problems. */
  readonly claimed = new Map<string, string>();

  constructor(private readonly problems: ReadonlyMap<string, string[]>, private readonly readOnly: boolean) {}

  private errorsAt(path: string, id: string, claim: boolean): string[] {
    if (!claim) return [];
    this.claimed.set(path, id);
    return this.problems.get(path) ?? [];
  }

  /** `claim`: whether this input is the live one for its path (a hidden variant's inputs are not). */
  field(f: FormField, path: string, value: unknown, claim = true, variant?: string): FieldView {
    const id = fieldId(path, variant);
    const base = { kind: f.kind, name: path, id, label: f.label, help: f.help, required: f.required, errors: this.errorsAt(path, id, claim) };
    switch (f.kind) {
      case 'const':
        return { ...base, value: String(f.value) };
      case 'text':
        return { ...base, value: typeof value === 'string' ? value : value === undefined ? '' : String(value), maxLength: f.maxLength, multiline: f.multiline, placeholder: f.placeholder };
      case 'integer':
        return { ...base, value: value === undefined ? '' : String(value), min: f.min, max: f.max };
      case 'enum':
        return {
          ...base, allowEmpty: !f.required || value === undefined,
          options: f.options.map((o) => ({ value: String(o), label: String(o), selected: value !== undefined && String(value) === String(o) })),
        };
      case 'object':
        return this.object(f, path, value, claim, variant);
      case 'choice':
        return this.choice(f, path, value, claim, variant);
      case 'list': {
        const rows = Array.isArray(value) ? [...value] : [];
        while (rows.length < f.minItems) rows.push(undefined);
        const canRemove = !this.readOnly && rows.length > f.minItems;
        return {
          ...base, itemLabel: f.itemLabel, min: f.minItems, max: f.maxItems, count: rows.length,
          canAdd: !this.readOnly && rows.length < f.maxItems, addOp: `add:${path}`, addLabel: `Add ${f.itemLabel.toLowerCase()}`,
          rows: rows.map((row, i) => ({
            label: `${f.itemLabel} ${i + 1}`, removeOp: canRemove ? `remove:${path}.${i}` : undefined,
            field: this.field(f.item, `${path}.${i}`, row, claim, variant),
          })),
        };
      }
    }
  }

  private object(f: ObjectField, path: string, value: unknown, claim: boolean, variant?: string, skip: ReadonlySet<string> = new Set()): FieldView {
    const v = asRecord(value);
    const visible: FieldView[] = [];
    const details: FieldView[] = [];
    for (const child of f.fields) {
      if (skip.has(child.key)) continue;
      const view = this.field(child, `${path}.${child.key}`, v[child.key], claim, variant);
      // What an upload fills in (sizes, the thumbnail) is tucked away under the image's own fields.
      (f.upload && (child.kind === 'integer' || child.kind === 'object') ? details : visible).push(view);
    }
    const url = typeof v.url === 'string' ? v.url : '';
    const id = fieldId(path, variant);
    return {
      kind: 'object', name: path, id, label: f.label, help: f.help, required: f.required, errors: this.errorsAt(path, id, claim),
      fields: visible, details,
      upload: f.upload && !this.readOnly ? { name: uploadFieldName(f.upload, path), id: `${fieldId(path, variant)}-file`, what: f.upload } : undefined,
      image: f.upload && IMAGE_SOURCE.test(url) ? url : undefined,
    };
  }

  private choice(f: ChoiceField, path: string, value: unknown, claim: boolean, outer?: string): FieldView {
    const v = asRecord(value);
    const selected = f.variants.find((x) => x.value === v[f.discriminator]) ?? f.variants[0];
    const tagPath = `${path}.${f.discriminator}`;
    const shared = new Set(f.shared);
    const tagId = fieldId(tagPath, outer);
    const tag: FieldView = {
      kind: 'enum', name: tagPath, id: tagId, label: f.variants[0].field.fields.find((x) => x.key === f.discriminator)?.label ?? 'Kind',
      required: true, errors: this.errorsAt(tagPath, tagId, claim), allowEmpty: false,
      options: f.variants.map((x) => ({ value: x.value, label: x.title, selected: x === selected })),
    };
    const sharedFields = selected.field.fields.filter((x) => shared.has(x.key)).map((x) => this.field(x, `${path}.${x.key}`, v[x.key], claim, outer));
    const variants = f.variants.map((x) => {
      const on = x === selected;
      const inner = this.object(x.field, path, on ? v : {}, claim && on, `${outer ? `${outer}-` : ''}${x.value}`, new Set([f.discriminator, ...shared]));
      return { value: x.value, title: x.title, selected: on, fields: inner.fields, details: inner.details, upload: inner.upload, image: inner.image };
    });
    const id = fieldId(path, outer);
    return { kind: 'choice', name: path, id, label: f.label, help: f.help, required: f.required, errors: this.errorsAt(path, id, claim), tag, shared: sharedFields, variants };
  }
}

export interface CardFormView {
  /** The card's own fields (the top-level object's children). */
  fields: FieldView[];
  /** Every problem, linked to its input when one shows it. */
  summary: { field: string; where: string; message: string; href?: string }[];
}

/**
 * The form of `form` filled with `card`, problems placed next to their inputs. `otherInputs`: ids
 * of inputs outside the card (template name, variable rows) by the path their problems name.
 */
export function cardFormView(form: ObjectField, card: Record<string, unknown>, problems: readonly FieldProblem[], opts: { readOnly?: boolean; otherInputs?: ReadonlyMap<string, string> } = {}): CardFormView {
  const byField = new Map<string, string[]>();
  for (const p of problems) byField.set(p.field, [...(byField.get(p.field) ?? []), p.message]);
  const b = new ViewBuilder(byField, opts.readOnly ?? false);
  const root = b.field(form, 'card', card) as FieldView & { fields: FieldView[] };
  for (const [path, id] of opts.otherInputs ?? []) b.claimed.set(path, id);
  return {
    fields: root.fields,
    summary: problems.map((p) => {
      const id = b.claimed.get(p.field);
      return { field: p.field, where: describeField(p.field), message: p.message, href: id ? `#${id}` : undefined };
    }),
  };
}
