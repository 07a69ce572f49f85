/**
 * The card editor's form, derived from the card type's JSON Schema (card-schemas/, read through the
 * cards module's `CardSchemaSet`): nothing here names a card field. `$ref`s are followed across the
 * schema files; strings become text inputs (free text past 200 characters a textarea), integers number
 * inputs, enums selects, `const`s hidden values, objects fieldsets, arrays repeatable groups within
 * their min/max items, and a `oneOf` with a discriminator (button actions, image or video) a select
 * of the variant plus that variant's own fields. An object that looks like an image (url + an
 * image/* mime) takes an upload. A schema construct not listed here stops the console at start.
 */
import type { AnySchemaObject } from 'ajv/dist/2020.js';
import type { CardType } from '../../cards/card-model.js';
import type { CardSchemaSet } from '../../cards/card-schemas.js';

interface FieldBase {
  /** Property name in the parent object (`item` for array items). */
  key: string;
  label: string;
  help?: string;
  required: boolean;
}

export type FormField =
  | (FieldBase & { kind: 'const'; value: unknown })
  | (FieldBase & { kind: 'text'; maxLength?: number; multiline: boolean; placeholder?: string })
  | (FieldBase & { kind: 'integer'; min?: number; max?: number })
  | (FieldBase & { kind: 'enum'; options: (string | number)[] })
  | ObjectField
  | (FieldBase & { kind: 'list'; item: ObjectField | ChoiceField; minItems: number; maxItems: number; itemLabel: string })
  | ChoiceField;

/** What an upload fills in: a whole image (with its thumbnail), or a thumbnail alone. */
export type UploadKind = 'image' | 'thumbnail';

export interface ObjectField extends FieldBase {
  kind: 'object';
  fields: FormField[];
  upload?: UploadKind;
}

export interface ChoiceVariant {
  value: string;
  title: string;
  field: ObjectField;
}

export interface ChoiceField extends FieldBase {
  kind: 'choice';
  /** The property whose value picks the variant (`type` of a button, `kind` of media). */
  discriminator: string;
  variants: ChoiceVariant[];
  /** Keys every variant has with the same input: shown once, above the variant's own fields. */
  shared: string[];
}

// Words a label reads better with than the humanised property name.
const LABELS: Record<string, string> = {
  url: 'URL', mime: 'File type', alt: 'Alt text (what the image shows)', appId: 'Mini-program ID', deepLink: 'Deep link',
  fallbackUrl: 'Fallback URL', phoneNumber: 'Phone number', displayHeight: 'Display height', durationSeconds: 'Duration (seconds)',
  size: 'Size (bytes)', width: 'Width (px)', height: 'Height (px)', text: 'Label', postback: 'Postback data', cardWidth: 'Card width',
  kind: 'Kind', type: 'Action',
};
const ITEM_LABELS: Record<string, string> = { buttons: 'Button', suggestions: 'Suggestion', cards: 'Card', items: 'Item' };
const PLACEHOLDERS: Record<string, string> = { date: 'YYYY-MM-DD', 'date-time': '2030-05-01T08:30:00+08:00', uri: 'https://…' };

/** `flightNumber` → `Flight number`. */
export const humanize = (key: string) => LABELS[key] ?? key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase()).replace(/(?<=\s)[A-Z](?=[a-z])/g, (c) => c.toLowerCase());

type Node = AnySchemaObject;

export class CardFormSchemas {
  private readonly byId = new Map<string, Node>();
  private readonly forms = new Map<string, ObjectField>();

  constructor(private readonly schemas: CardSchemaSet) {
    for (const f of schemas.files) this.byId.set(f.schema.$id as string, f.schema);
  }

  /** The form of a card type at a schema version (default: the latest), built once. */
  form(type: CardType, version = this.schemas.latestVersion(type)): ObjectField {
    const key = `${type}.v${version}`;
    let form = this.forms.get(key);
    if (!form) {
      const file = this.schemas.schemaOf(type, version);
      if (!file) throw new Error(`no card schema ${key}`);
      const built = this.field('card', file.schema, file.schema.$id as string, true);
      if (built.kind !== 'object') throw new Error(`card schema ${key} is not an object`);
      form = built;
      this.forms.set(key, form);
    }
    return form;
  }

  /** Builds every card type's form now, so a schema the form cannot show fails at start. */
  checkAll(types: readonly CardType[]): void {
    for (const t of types) this.form(t);
  }

  /** A node with its `$ref`s followed; the reference's siblings (description) win over the target's. */
  private deref(node: Node, base: string): { node: Node; base: string } {
    let n = node;
    let b = base;
    for (let hops = 0; typeof n.$ref === 'string'; hops++) {
      if (hops > 20) throw new Error(`card schema: $ref loop at ${String(node.$ref)}`);
      const url = new URL(n.$ref, b);
      const fileId = url.href.replace(/#.*$/, '');
      const file = this.byId.get(fileId);
      if (!file) throw new Error(`card schema: unknown $ref ${url.href}`);
      const target = decodeURIComponent(url.hash.slice(1)).split('/').slice(1).reduce<Node>((at, part) => at?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], file);
      if (!target) throw new Error(`card schema: $ref ${url.href} points at nothing`);
      const { $ref: _ref, ...siblings } = n;
      n = { ...target, ...siblings };
      b = fileId;
    }
    return { node: n, base: b };
  }

  private field(key: string, raw: Node, base: string, required: boolean): FormField {
    const { node, base: at } = this.deref(raw, base);
    const common: FieldBase = { key, label: humanize(key), required, ...(typeof node.description === 'string' ? { help: node.description } : {}) };
    if ('const' in node) return { ...common, kind: 'const', value: node.const };
    if (Array.isArray(node.enum)) return { ...common, kind: 'enum', options: node.enum as (string | number)[] };
    if (Array.isArray(node.oneOf) && node.discriminator) return this.choice(common, node, at);
    switch (node.type) {
      case 'string':
        return {
          // Long free text gets a text area; addresses and codes (a format or a pattern) stay on one line.
          ...common, kind: 'text', multiline: typeof node.maxLength === 'number' && node.maxLength > 200 && !node.format && !node.pattern,
          ...(typeof node.maxLength === 'number' ? { maxLength: node.maxLength } : {}),
          ...(typeof node.format === 'string' && PLACEHOLDERS[node.format] ? { placeholder: PLACEHOLDERS[node.format] } : {}),
        };
      case 'integer':
        return { ...common, kind: 'integer', ...(typeof node.minimum === 'number' ? { min: node.minimum } : {}), ...(typeof node.maximum === 'number' ? { max: node.maximum } : {}) };
      case 'object':
        return this.object(common, node, at);
      case 'array': {
        if (!node.items || typeof node.items !== 'object') throw new Error(`card schema: array ${key} has no items schema`);
        const item = this.field('item', node.items as Node, at, true);
        if (item.kind !== 'object' && item.kind !== 'choice') throw new Error(`card schema: array ${key} of ${item.kind} is not supported by the console form`);
        return {
          ...common, kind: 'list', item, minItems: typeof node.minItems === 'number' ? node.minItems : 0,
          maxItems: typeof node.maxItems === 'number' ? node.maxItems : 20, itemLabel: ITEM_LABELS[key] ?? 'Item',
        };
      }
      default:
        throw new Error(`card schema: ${key} (${JSON.stringify(node.type)}) is not supported by the console form`);
    }
  }

  private object(common: FieldBase, node: Node, base: string): ObjectField {
    const required = new Set((node.required as string[] | undefined) ?? []);
    const props = Object.entries((node.properties ?? {}) as Record<string, Node>);
    const fields = props.map(([k, v]) => this.field(k, v, base, required.has(k)));
    // Repeating groups read best after the card's own fields.
    fields.sort((a, b) => Number(a.kind === 'list') - Number(b.kind === 'list'));
    const upload = uploadKind(fields);
    if (!upload) return { ...common, kind: 'object', fields };
    // An image's upload makes its thumbnail too: no second file input inside it.
    const inner = upload === 'image' ? fields.map((f) => (f.kind === 'object' && f.upload ? { ...f, upload: undefined } : f)) : fields;
    return { ...common, kind: 'object', fields: inner, upload };
  }

  private choice(common: FieldBase, node: Node, base: string): ChoiceField {
    const discriminator = (node.discriminator as { propertyName: string }).propertyName;
    const variants = (node.oneOf as Node[]).map((v): ChoiceVariant => {
      const d = this.deref(v, base);
      const field = this.object({ ...common, required: true }, d.node, d.base);
      const tag = field.fields.find((f) => f.key === discriminator);
      if (tag?.kind !== 'const' || typeof tag.value !== 'string') throw new Error(`card schema: a variant of ${common.key} has no const ${discriminator}`);
      return { value: tag.value, title: typeof d.node.title === 'string' ? d.node.title : humanize(tag.value), field };
    });
    const [first, ...rest] = variants.map((v) => v.field.fields);
    const sameInput = (a: FormField, b: FormField | undefined) => !!b && JSON.stringify({ ...a, help: undefined }) === JSON.stringify({ ...b, help: undefined });
    // Only plain inputs are shared; sizes and nested objects stay with their variant (an upload fills them).
    const plain = (f: FormField) => f.kind === 'text' || f.kind === 'enum';
    const shared = first.filter((f) => f.key !== discriminator && plain(f) && rest.every((fs) => sameInput(f, fs.find((g) => g.key === f.key)))).map((f) => f.key);
    return { ...common, kind: 'choice', discriminator, variants, shared };
  }
}

/** An object with a url and an image/* mime takes an upload: an image when it is one (`kind: image`), else a thumbnail. */
function uploadKind(fields: FormField[]): UploadKind | undefined {
  const url = fields.find((f) => f.key === 'url');
  const mime = fields.find((f) => f.key === 'mime');
  if (url?.kind !== 'text' || mime?.kind !== 'enum' || !mime.options.every((m) => String(m).startsWith('image/'))) return undefined;
  const kind = fields.find((f) => f.key === 'kind');
  if (!kind) return 'thumbnail';
  return kind.kind === 'const' && kind.value === 'image' ? 'image' : undefined;
}
