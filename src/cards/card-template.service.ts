/**
 * Card templates: create and edit (checked against the card type's schema, {{variables}}
 * allowed), the review workflow that mirrors carrier review (draft → submitted → approved |
 * rejected with a reason; a rejected template is edited and submitted again), previews, and the
 * render a send uses. Only approved templates send.
 */
import { AppError, notFound } from '../http/app-error.js';
import type { Card } from './card-model.js';
import { cardSchemas, type CardSchemaSet } from './card-schemas.js';
import { cardVariables, renderCardVariables, type VariableSources } from './card-variables.js';
import type {
  CardTemplate, CardTemplateContent, CardTemplateFilter, CardTemplateMove, CardTemplateRepository, CardTemplateStatus,
} from './card-template.repository.js';
import { validationError, type SchemaProblem } from './json-validator.js';
import type { CardRenderContext, CardRendererRegistry, RenderedCard } from './render/card-renderer.js';

/** Which statuses each move starts from. */
export const CARD_TEMPLATE_TRANSITIONS = {
  edit: ['draft', 'rejected'],
  upload: ['draft', 'rejected'],
  submit: ['draft', 'rejected'],
  approve: ['submitted'],
  reject: ['submitted'],
} as const satisfies Record<string, readonly CardTemplateStatus[]>;
export type CardTemplateAction = keyof typeof CARD_TEMPLATE_TRANSITIONS;

/** What an account sends to create or replace a template. */
export interface CardTemplateInput {
  name: string;
  card: Record<string, unknown>;
  sampleVariables?: Record<string, string>;
}

/** A template loaded once for a send; `render` runs per recipient without reading the database. */
export interface PreparedCardTemplate {
  readonly template: CardTemplate;
  /**
   * The card for one recipient: variables rendered, the result validated against the full schema.
   * @throws AppError TEMPLATE_VARIABLE_MISSING (field `variables.<name>`) or CARD_RENDERED_INVALID (field `card.<path>`).
   */
  render(variables: Readonly<Record<string, unknown>>): Card;
}

/** What renderForSend returns: which template, and the card ready for any renderer. */
export interface RenderedCardTemplate {
  template: Pick<CardTemplate, 'id' | 'name' | 'type' | 'version' | 'accountId'>;
  card: Card;
}

/** A card rendered with variables, and every form the renderers make of it. */
export interface CardPreview {
  card: Card;
  /** By renderer kind: `smart-sms`, `h5`, `text` (and any renderer registered later). */
  renderings: Record<string, RenderedCard>;
}

export interface CardTemplateServiceDeps {
  repo: CardTemplateRepository;
  renderers: CardRendererRegistry;
  schemas?: CardSchemaSet;
}

export class CardTemplateService {
  private readonly schemas: CardSchemaSet;

  constructor(private readonly deps: CardTemplateServiceDeps) {
    this.schemas = deps.schemas ?? cardSchemas();
  }

  async create(accountId: string, input: CardTemplateInput): Promise<CardTemplate> {
    return this.deps.repo.create(accountId, this.content(input), accountActor(accountId));
  }

  /** PUT: replaces name, card and sample values of a draft or rejected template. */
  async replace(accountId: string, id: string, input: CardTemplateInput): Promise<CardTemplate> {
    const content = this.content(input);
    return outcome(await this.deps.repo.replace(accountId, id, content, CARD_TEMPLATE_TRANSITIONS.edit, accountActor(accountId)), id, 'edit');
  }

  async get(accountId: string, id: string): Promise<CardTemplate> {
    const t = await this.deps.repo.get(accountId, id);
    if (!t) throw notFound(`Card template ${id}`);
    return t;
  }

  list(accountId: string, filter: CardTemplateFilter): Promise<CardTemplate[]> {
    return this.deps.repo.list(accountId, filter);
  }

  /** Throws unless the template exists in the account and may change now (uploads, edits). */
  async assertCan(accountId: string, id: string, action: CardTemplateAction): Promise<CardTemplate> {
    const t = await this.get(accountId, id);
    if (!(CARD_TEMPLATE_TRANSITIONS[action] as readonly string[]).includes(t.status)) throw invalidMove(t, action);
    return t;
  }

  /**
   * Sends the template for review. Like a carrier, review needs an example value for every
   * variable, and the card rendered with them must be a valid card.
   */
  async submit(accountId: string, id: string): Promise<CardTemplate> {
    const t = await this.assertCan(accountId, id, 'submit');
    const missing = t.variables.filter((v) => !Object.prototype.hasOwnProperty.call(t.sampleVariables, v));
    if (missing.length) {
      throw new AppError(400, 'CARD_TEMPLATE_INCOMPLETE', `Give sampleVariables a value for ${missing.map((m) => `{{${m}}}`).join(', ')} (PUT the template): reviewers read the card with them`, `sampleVariables.${missing[0]}`, { missing });
    }
    this.render(t.card, t.sampleVariables);
    return outcome(await this.deps.repo.submit(accountId, id, CARD_TEMPLATE_TRANSITIONS.submit, accountActor(accountId)), id, 'submit');
  }

  async approve(id: string, operator?: string): Promise<CardTemplate> {
    return outcome(await this.deps.repo.decide(id, 'approved', null, CARD_TEMPLATE_TRANSITIONS.approve, operatorActor(operator)), id, 'approve');
  }

  async reject(id: string, reason: string, operator?: string): Promise<CardTemplate> {
    return outcome(await this.deps.repo.decide(id, 'rejected', reason, CARD_TEMPLATE_TRANSITIONS.reject, operatorActor(operator)), id, 'reject');
  }

  /** Operator: the review queue (submitted first by default) or any status. */
  review(filter: CardTemplateFilter & { accountId?: string }): Promise<CardTemplate[]> {
    return this.deps.repo.review(filter);
  }

  /** Operator: one template of any account. */
  async findForReview(id: string): Promise<CardTemplate> {
    const t = await this.deps.repo.findById(id);
    if (!t) throw notFound(`Card template ${id}`);
    return t;
  }

  /**
   * Loads an approved template for a send (one read), so a campaign renders every recipient's
   * card without further database work.
   * @throws AppError NOT_FOUND (field templateId), CARD_TEMPLATE_NOT_APPROVED (409, details.status).
   */
  async prepareForSend(accountId: string, templateId: string): Promise<PreparedCardTemplate> {
    const template = await this.deps.repo.get(accountId, templateId);
    if (!template) throw new AppError(404, 'NOT_FOUND', `Card template ${templateId} not found`, 'templateId');
    if (template.status !== 'approved') {
      throw new AppError(409, 'CARD_TEMPLATE_NOT_APPROVED', `Card template ${templateId} is ${template.status}; only approved templates send (submit it for review)`, 'templateId', { status: template.status });
    }
    return { template, render: (variables) => this.render(template.card, variables) };
  }

  /** One recipient's card from an approved template (prepareForSend + render). */
  async renderForSend(accountId: string, templateId: string, variables: Readonly<Record<string, unknown>>): Promise<RenderedCardTemplate> {
    const prepared = await this.prepareForSend(accountId, templateId);
    const t = prepared.template;
    return { template: { id: t.id, name: t.name, type: t.type, version: t.version, accountId: t.accountId }, card: prepared.render(variables) };
  }

  /** A saved template of any status rendered in every form; sample values fill variables left out. */
  async preview(accountId: string, id: string, variables: Readonly<Record<string, unknown>>, ctx: CardRenderContext = {}): Promise<CardPreview> {
    const t = await this.get(accountId, id);
    return this.renderAll(t.card, { ...t.sampleVariables, ...variables }, ctx);
  }

  /** An unsaved template (the console's live preview while editing) rendered in every form. */
  previewUnsaved(input: CardTemplateInput, variables: Readonly<Record<string, unknown>>, ctx: CardRenderContext = {}): CardPreview {
    const content = this.content(input);
    return this.renderAll(content.card, { ...content.sampleVariables, ...variables }, ctx);
  }

  /**
   * A template's card with variables rendered and validated in full.
   * @throws AppError TEMPLATE_VARIABLE_MISSING or CARD_RENDERED_INVALID.
   */
  render(templateCard: Record<string, unknown>, variables: Readonly<Record<string, unknown>>): Card {
    const sources: VariableSources = new Map();
    const rendered = renderCardVariables(templateCard, variables, sources);
    const r = this.schemas.check(rendered, 'send', 'card');
    if (r.ok) return r.card;
    throw validationError(r.problems.map((p) => withSources(p, sources)), 'CARD_RENDERED_INVALID', renderedHint(r.problems[0], sources));
  }

  private renderAll(templateCard: Record<string, unknown>, variables: Readonly<Record<string, unknown>>, ctx: CardRenderContext): CardPreview {
    const card = this.render(templateCard, variables);
    return { card, renderings: this.deps.renderers.renderAll(card, ctx) };
  }

  /** Validates the input in template mode and collects its variables. */
  private content(input: CardTemplateInput): CardTemplateContent {
    const r = this.schemas.check(input.card, 'template', 'card');
    if (!r.ok) throw validationError(r.problems);
    const card = r.card as unknown as Record<string, unknown>;
    return {
      name: input.name,
      type: r.card.type,
      version: r.card.version,
      card,
      variables: cardVariables(card),
      sampleVariables: input.sampleVariables ?? {},
    };
  }
}

/** The variables a broken field was rendered from, so the message says which value to fix. */
function withSources(p: SchemaProblem, sources: VariableSources): SchemaProblem & { variables?: string[] } {
  const vars = sources.get(p.field.replace(/^card\./, ''));
  return vars?.length ? { ...p, variables: vars } : p;
}

function renderedHint(p: SchemaProblem | undefined, sources: VariableSources): string {
  const vars = p ? sources.get(p.field.replace(/^card\./, '')) : undefined;
  return vars?.length ? ` after rendering ${vars.map((v) => `{{${v}}}`).join(', ')}` : '';
}

const PAST: Record<CardTemplateAction, string> = { edit: 'edited', upload: 'given media', submit: 'submitted', approve: 'approved', reject: 'rejected' };
const accountActor = (accountId: string) => `account:${accountId}`;
const operatorActor = (operator?: string) => (operator ? `operator:${operator}` : 'operator');

function invalidMove(t: { id: string; status: CardTemplateStatus }, action: CardTemplateAction): AppError {
  const from = CARD_TEMPLATE_TRANSITIONS[action];
  return new AppError(409, 'CARD_TEMPLATE_INVALID_TRANSITION', `Card template ${t.id} is ${t.status}; only ${from.join(' or ')} templates can be ${PAST[action]}`, 'status', { status: t.status, allowedFrom: from });
}

function outcome(moved: CardTemplateMove, id: string, action: CardTemplateAction): CardTemplate {
  switch (moved.kind) {
    case 'ok': return moved.template;
    case 'not_found': throw notFound(`Card template ${id}`);
    case 'conflict': throw invalidMove({ id, status: moved.status }, action);
  }
}
