/**
 * The data templates/console/cards/editor.hbs draws: the schema-driven form with its values and
 * problems, the template name and sample-variable rows, the preview, the review status with its
 * actions, and the test send.
 */
import type { CardType } from '../../cards/card-model.js';
import type { CardSchemaSet } from '../../cards/card-schemas.js';
import type { CardTemplate } from '../../cards/card-template.repository.js';
import { cardVariables } from '../../cards/card-variables.js';
import type { CardFormSchemas } from './card-form-schema.js';
import { cardFormView, fieldId, type FieldProblem } from './card-form-view.js';
import { PREVIEW_LANGS, type PreviewOptions, type PreviewView } from './card-preview.js';

export const CARDS_PATH = '/console/cards';

/** Everything the editor shows; built from a saved template or from a posted form. */
export interface EditorState {
  type: CardType;
  version: number;
  /** The saved template (edit page); absent on the new-template page. */
  template?: CardTemplate;
  name: string;
  card: Record<string, unknown>;
  variableRows: { name: string; value: string }[];
  problems: FieldProblem[];
  preview: PreviewView;
  previewOptions: PreviewOptions;
  notice?: string;
  test?: { to: string; signature?: string; problems: FieldProblem[]; notice?: string };
}

export interface EditorEnv {
  forms: CardFormSchemas;
  schemas: CardSchemaSet;
  /** The account's approved signatures (preview and test send). */
  signatures: string[];
  sendTestAvailable: boolean;
}

export const STATUS_LABELS: Record<CardTemplate['status'], string> = {
  draft: 'Draft', submitted: 'In review', approved: 'Approved', rejected: 'Rejected',
};
export const isEditable = (t: CardTemplate | undefined) => !t || t.status === 'draft' || t.status === 'rejected';

/** The card type's name as its schema titles it, without the version (`Coupon or red packet card`). */
export function typeTitle(schemas: CardSchemaSet, type: CardType): string {
  const title = schemas.schemaOf(type, schemas.latestVersion(type))?.schema.title;
  return typeof title === 'string' ? title.replace(/\s*\(v\d+\)$/, '') : type;
}

/** `2030-05-01T08:30:12.345Z` → `2030-05-01 08:30 UTC`. */
export const shortTime = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** The variables the card uses; none while one of its strings is not a valid template (saving says where). */
function usedVariables(card: Record<string, unknown>): string[] {
  try {
    return cardVariables(card);
  } catch {
    return [];
  }
}

function variableRows(state: EditorState, byField: Map<string, string[]>) {
  const used = usedVariables(state.card);
  const rows = [...state.variableRows];
  for (const v of used) if (!rows.some((r) => r.name === v)) rows.push({ name: v, value: '' });
  if (rows.length === 0) rows.push({ name: '', value: '' });
  return {
    used: used.map((v) => `{{${v}}}`),
    rows: rows.map((r, i) => ({
      ...r, index: i, nameId: fieldId(`vars.${i}.name`), valueId: fieldId(`vars.${i}.value`),
      errors: [...(byField.get(`vars.${i}.name`) ?? []), ...(r.name ? byField.get(`sampleVariables.${r.name}`) ?? [] : [])],
      removeOp: rows.length > 1 ? `remove:vars.${i}` : undefined,
    })),
  };
}

export function editorPageData(state: EditorState, env: EditorEnv): { title: string } & Record<string, unknown> {
  const t = state.template;
  const editable = isEditable(t);
  const byField = new Map<string, string[]>();
  for (const p of state.problems) byField.set(p.field, [...(byField.get(p.field) ?? []), p.message]);
  const vars = variableRows(state, byField);
  const otherInputs = new Map<string, string>([['name', 'f-name'], ['sampleVariables', vars.rows[0].nameId]]);
  vars.rows.forEach((r, i) => {
    otherInputs.set(`vars.${i}.name`, r.nameId);
    if (r.name) otherInputs.set(`sampleVariables.${r.name}`, r.valueId);
  });
  const form = cardFormView(env.forms.form(state.type, state.version), state.card, state.problems, { readOnly: !editable, otherInputs });
  const typeName = typeTitle(env.schemas, state.type);
  const signatures = env.signatures.map((s) => ({ value: s, selected: s === state.previewOptions.signature }));
  const approved = t?.status === 'approved';
  return {
    title: t ? t.name : `New ${typeName.toLowerCase()}`,
    typeName,
    type: state.type,
    editable,
    action: t ? `${CARDS_PATH}/${t.id}` : CARDS_PATH,
    previewAction: `${CARDS_PATH}/preview`,
    name: { value: state.name, errors: byField.get('name') ?? [] },
    form,
    vars,
    notice: state.notice,
    preview: state.preview,
    previewOptions: { signatures, langs: PREVIEW_LANGS.map((l) => ({ value: l, selected: l === state.previewOptions.lang })) },
    template: t && {
      id: t.id, status: t.status, statusLabel: STATUS_LABELS[t.status], rejectionReason: t.rejectionReason,
      updated: shortTime(t.updatedAt), canSubmit: isEditable(t), submitAction: `${CARDS_PATH}/${t.id}/submit`,
      viewAction: `${CARDS_PATH}/${t.id}/edit`,
    },
    test: t && {
      action: `${CARDS_PATH}/${t.id}/test`,
      enabled: approved && env.sendTestAvailable,
      why: !env.sendTestAvailable ? 'Test sends are not available on this server yet.' : approved ? undefined : 'Only an approved template can be sent; submit it for review first.',
      to: state.test?.to ?? '',
      errors: state.test?.problems.map((p) => p.message) ?? [],
      notice: state.test?.notice,
      signatures: env.signatures.map((s) => ({ value: s, selected: s === (state.test?.signature ?? state.previewOptions.signature) })),
      variables: Object.entries(t.sampleVariables).map(([k, v]) => ({ name: k, value: v })),
    },
  };
}
