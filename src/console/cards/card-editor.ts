/**
 * What the card editor does with a posted form: read it through the card's form, upload chosen
 * images through the cards module (sharp checks and resizes them), then add or remove a row,
 * preview, or save (create / replace). Every rule is the cards module's: the console only places
 * the problems it reports next to the inputs they name.
 */
import { processCardImage } from '../../cards/card-image.js';
import type { CardMediaService, UploadedCardImage } from '../../cards/card-media.service.js';
import type { CardType } from '../../cards/card-model.js';
import type { CardSchemaSet } from '../../cards/card-schemas.js';
import type { CardTemplate } from '../../cards/card-template.repository.js';
import type { CardTemplateInput, CardTemplateService } from '../../cards/card-template.service.js';
import { cardApiValidator } from '../../cards/card-api-schemas.js';
import { check } from '../../cards/json-validator.js';
import type { FormFile } from '../multipart.js';
import { CARDS_PATH, isEditable, STATUS_LABELS, type EditorState } from './card-editor-view.js';
import { emptyRow, parseEditorForm, type EditorOp, type FormValues, type ParsedEditorForm, type PendingUpload } from './card-form-parse.js';
import type { CardFormSchemas, FormField, ObjectField } from './card-form-schema.js';
import type { FieldProblem } from './card-form-view.js';
import { previewSaved, previewUnsaved, problemsOf, type PreviewOptions, type PreviewView } from './card-preview.js';

export interface CardEditorDeps {
  templates: CardTemplateService;
  media: CardMediaService;
  forms: CardFormSchemas;
  schemas: CardSchemaSet;
}

export type EditorOutcome = { kind: 'redirect'; to: string } | { kind: 'show'; state: EditorState; status: number };

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PENDING_MEDIA = '/m/pending';

/** Empties an object in place (it is referenced from inside the parsed card). */
function refill(target: Record<string, unknown>, values: Record<string, unknown>): void {
  for (const k of Object.keys(target)) delete target[k];
  Object.assign(target, values);
}

/** What an upload puts into the object it was chosen for; an image keeps the alt text and height typed in. */
function uploadedValue(u: PendingUpload, media: Pick<UploadedCardImage['media'], 'kind' | 'url' | 'mime' | 'thumbnail'>): Record<string, unknown> {
  if (u.kind === 'thumbnail') return { ...media.thumbnail };
  const { alt, displayHeight } = u.target;
  return { ...media, ...(alt !== undefined ? { alt } : {}), ...(displayHeight !== undefined ? { displayHeight } : {}) };
}

/** The field a dotted path names in a card of this form (choices follow the card's values). */
function fieldAt(form: ObjectField, card: Record<string, unknown>, path: string): FormField | undefined {
  let field: FormField | undefined = form;
  let value: unknown = card;
  for (const seg of path.split('.').slice(1)) {
    if (!field) return undefined;
    if (field.kind === 'choice') {
      const tag = (value as Record<string, unknown> | undefined)?.[field.discriminator];
      field = (field.variants.find((v) => v.value === tag) ?? field.variants[0]).field;
    }
    if (field.kind === 'object') field = field.fields.find((f) => f.key === seg);
    else if (field.kind === 'list' && /^\d+$/.test(seg)) field = field.item;
    else return undefined;
    value = (value as Record<string, unknown> | undefined)?.[seg];
  }
  return field;
}

/** Adds or removes a row of a repeating group (or of the sample-variable rows). */
function applyRowOp(form: ObjectField, parsed: ParsedEditorForm, op: Extract<EditorOp, { kind: 'add' | 'remove' }>): void {
  if (op.path === 'vars') {
    if (op.kind === 'add') parsed.variableRows.push({ name: '', value: '' });
    else parsed.variableRows.splice(op.index, 1);
    return;
  }
  const field = fieldAt(form, parsed.card, op.path);
  if (field?.kind !== 'list') return;
  const segs = op.path.split('.').slice(1);
  const parent = segs.slice(0, -1).reduce<Record<string, unknown> | undefined>((at, s) => at?.[s] as Record<string, unknown> | undefined, parsed.card);
  if (!parent) return;
  const key = segs[segs.length - 1];
  const rows = Array.isArray(parent[key]) ? (parent[key] as unknown[]) : [];
  while (rows.length < field.minItems) rows.push(emptyRow(field.item));
  if (op.kind === 'add' && rows.length < field.maxItems) rows.push(emptyRow(field.item));
  if (op.kind === 'remove' && rows.length > field.minItems) rows.splice(op.index, 1);
  parent[key] = rows;
}

export class CardEditor {
  constructor(private readonly deps: CardEditorDeps) {}

  /** A new template's empty form. */
  blank(type: CardType, previewOptions: PreviewOptions): EditorState {
    const version = this.deps.schemas.latestVersion(type);
    return { type, version, name: '', card: { type, version }, variableRows: [], problems: [], preview: { problems: [], pending: true }, previewOptions };
  }

  /** A saved template as stored, with its preview. */
  async saved(accountId: string, t: CardTemplate, previewOptions: PreviewOptions, extra: Partial<EditorState> = {}): Promise<EditorState> {
    return {
      type: t.type, version: t.version, template: t, name: t.name, card: t.card,
      variableRows: Object.entries(t.sampleVariables).map(([name, value]) => ({ name, value })),
      problems: [], preview: await previewSaved(this.deps.templates, accountId, t.id, previewOptions), previewOptions, ...extra,
    };
  }

  /** The preview of a posted form, without files (the editor's script asks for it while typing). */
  async previewForm(type: CardType, version: number, values: FormValues, previewOptions: PreviewOptions): Promise<PreviewView> {
    const parsed = parseEditorForm(this.deps.forms.form(type, version), values, new Map());
    return previewUnsaved(this.deps.templates, { name: parsed.name || 'preview', card: parsed.card, sampleVariables: parsed.sampleVariables }, previewOptions);
  }

  /** A post of the editor's form to a new (`existing` undefined) or saved template. */
  async post(accountId: string, existing: CardTemplate | undefined, type: CardType, version: number, values: FormValues, files: ReadonlyMap<string, FormFile>, previewOptions: PreviewOptions): Promise<EditorOutcome> {
    if (existing && !isEditable(existing)) {
      const problem = { field: '', message: `This template is ${STATUS_LABELS[existing.status].toLowerCase()}: it cannot be changed any more.` };
      return { kind: 'show', state: await this.saved(accountId, existing, previewOptions, { problems: [problem] }), status: 409 };
    }
    const form = this.deps.forms.form(type, version);
    const parsed = parseEditorForm(form, values, files);
    const input: CardTemplateInput = { name: parsed.name, card: parsed.card, sampleVariables: parsed.sampleVariables };
    const state = (problems: FieldProblem[], preview: PreviewView, notice?: string, template = existing): EditorState => ({
      type, version, template, name: parsed.name, card: parsed.card, variableRows: parsed.variableRows, problems, preview, previewOptions, notice,
    });
    const problems: FieldProblem[] = [];
    let notice: string | undefined;
    if (parsed.uploads.length && existing) problems.push(...(await this.upload(accountId, existing.id, parsed.uploads)));
    else if (parsed.uploads.length && parsed.op.kind !== 'save') notice = 'Images are uploaded when the template is saved: choose the file again, then save.';
    const preview = () => previewUnsaved(this.deps.templates, input, previewOptions);

    if (parsed.op.kind === 'add' || parsed.op.kind === 'remove') {
      applyRowOp(form, parsed, parsed.op);
      return { kind: 'show', state: state(problems, { problems: [], pending: true }, notice), status: 200 };
    }
    if (parsed.op.kind === 'preview') {
      const p = await preview();
      return { kind: 'show', state: state([...problems, ...p.problems], p, notice), status: problems.length ? 400 : 200 };
    }
    problems.push(...this.checkNameAndSamples(parsed));
    if (problems.length) return { kind: 'show', state: state(problems, await preview()), status: 400 };
    try {
      if (existing) {
        await this.deps.templates.replace(accountId, existing.id, input);
        return { kind: 'redirect', to: `${CARDS_PATH}/${existing.id}/edit?saved` };
      }
      const created = await this.createWithUploads(accountId, input, parsed.uploads);
      if (!('id' in created)) return { kind: 'show', state: state(created.problems, await preview(), undefined, created.template), status: 400 };
      return { kind: 'redirect', to: `${CARDS_PATH}/${created.id}/edit?created` };
    } catch (err) {
      const found = problemsOf(err);
      if (!found) throw err;
      return { kind: 'show', state: state(found, await preview()), status: 400 };
    }
  }

  /** The template's name and sample values against the API's own request schema; variable names first, with the row they are in. */
  private checkNameAndSamples(parsed: ParsedEditorForm): FieldProblem[] {
    const problems: FieldProblem[] = [];
    parsed.variableRows.forEach((r, i) => {
      if (r.name && !VARIABLE_NAME.test(r.name)) problems.push({ field: `vars.${i}.name`, message: 'A variable name is letters, digits and _, not starting with a digit.' });
      if (!r.name && r.value) problems.push({ field: `vars.${i}.name`, message: 'Give the variable this value belongs to.' });
    });
    if (problems.length) return problems;
    const r = check(cardApiValidator('CardTemplateRequest'), { ...(parsed.name ? { name: parsed.name } : {}), card: {}, sampleVariables: parsed.sampleVariables });
    return r.ok ? [] : r.problems.map((p) => ({ field: p.field, message: p.message }));
  }

  /** Uploads each chosen file to a saved template and fills its object in; a refused file is a problem at its field. */
  private async upload(accountId: string, templateId: string, uploads: PendingUpload[]): Promise<FieldProblem[]> {
    const problems: FieldProblem[] = [];
    for (const u of uploads) {
      try {
        const up = await this.deps.media.upload(accountId, templateId, u.file.bytes);
        refill(u.target, uploadedValue(u, up.media));
      } catch (err) {
        const found = problemsOf(err);
        if (!found) throw err;
        problems.push(...found.map((p) => ({ field: u.path, message: `${u.file.filename || 'The file'}: ${p.message}` })));
      }
    }
    return problems;
  }

  /**
   * Creates a template whose images are chosen in the same form. Uploads need the template, so it
   * is created with a placeholder address and then given the uploaded images; the images are
   * checked first, so a refused file leaves no half-made template.
   */
  private async createWithUploads(accountId: string, input: CardTemplateInput, uploads: PendingUpload[]): Promise<CardTemplate | { problems: FieldProblem[]; template?: CardTemplate }> {
    if (uploads.length === 0) return this.deps.templates.create(accountId, input);
    const problems: FieldProblem[] = [];
    for (const u of uploads) {
      await processCardImage(u.file.bytes).catch((err: unknown) => {
        const found = problemsOf(err);
        if (!found) throw err;
        problems.push(...found.map((p) => ({ field: u.path, message: `${u.file.filename || 'The file'}: ${p.message}` })));
      });
    }
    const typed = uploads.map((u) => ({ ...u.target }));
    for (const u of uploads) refill(u.target, uploadedValue(u, { url: PENDING_MEDIA, mime: 'image/jpeg', kind: 'image', thumbnail: { url: PENDING_MEDIA, mime: 'image/jpeg' } }));
    const withPlaceholders = structuredClone(input.card);
    uploads.forEach((u, i) => refill(u.target, typed[i]));
    if (problems.length) {
      const fields = this.deps.schemas.check(withPlaceholders, 'template', 'card');
      return { problems: [...problems, ...(fields.ok ? [] : fields.problems)] };
    }
    const created = await this.deps.templates.create(accountId, { ...input, card: withPlaceholders });
    const refused = await this.upload(accountId, created.id, uploads);
    if (refused.length) return { problems: refused, template: created };
    return this.deps.templates.replace(accountId, created.id, input);
  }
}
