/**
 * The console's card-template pages (issue 4): the account's templates, the schema-driven editor
 * with image uploads and the side-by-side preview, submission for review, and a test send.
 *
 *   GET  /console/cards                    list, with "New template"
 *   GET  /console/cards/new?type=coupon    new-template form (without type: the types to choose from)
 *   POST /console/cards                    new-template form posted (save, preview, add/remove a row)
 *   GET  /console/cards/:id/edit           a saved template: form (read-only unless draft/rejected), status, preview
 *   POST /console/cards/:id                its form posted
 *   POST /console/cards/:id/submit         submit for review
 *   POST /console/cards/:id/test           send a test (needs the `sendTest` hook and an approved template)
 *   POST /console/cards/preview            the preview pane alone (HTML fragment, for the editor's script)
 *   GET  /console/cards/editor.js          the editor's script (variant switching, live preview)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Request, type Response } from 'express';
import type { Account } from '../../accounts/account.js';
import type { CardMediaService } from '../../cards/card-media.service.js';
import { CARD_TYPES, isCardType, type CardType } from '../../cards/card-model.js';
import { cardSchemas, type CardSchemaSet } from '../../cards/card-schemas.js';
import type { CardTemplate } from '../../cards/card-template.repository.js';
import type { CardTemplateService } from '../../cards/card-template.service.js';
import { AppError } from '../../http/app-error.js';
import { ConsoleError, consoleAccount, type ConsolePage, type ConsolePageContext } from '../console-page.js';
import { formFiles } from '../multipart.js';
import { CONSOLE_TEMPLATES_DIR } from '../views.js';
import { CardEditor } from './card-editor.js';
import { CARDS_PATH, STATUS_LABELS, editorPageData, shortTime, typeTitle, type EditorState } from './card-editor-view.js';
import type { FormValues } from './card-form-parse.js';
import { CardFormSchemas } from './card-form-schema.js';
import { PREVIEW_LANGS, editorCsp, problemsOf, type PreviewLang, type PreviewOptions } from './card-preview.js';

/** What a test send reports back to the marketer. */
export interface SendTestResult {
  /** Shown on the page, e.g. the message or campaign id. */
  reference: string;
}

/**
 * Sends one card of an approved template to one number, with these variable values (the
 * template's sample values). Throw an AppError to show its message next to the number field.
 */
export type SendTestHook = (account: Account, templateId: string, to: string, variables: Record<string, string>, options: { signature?: string }) => Promise<SendTestResult>;

export interface CardTemplatesPageDeps {
  cards: { templates: CardTemplateService; media: CardMediaService };
  /** The account's approved signatures, offered for the preview and the test send. */
  signatures?: (accountId: string) => Promise<string[]>;
  /** Absent: the test-send button is disabled with a note. */
  sendTest?: SendTestHook;
  schemas?: CardSchemaSet;
}

const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const TEST_NUMBER = /^\+?[0-9][0-9 -]{4,19}$/;
const NOTICES: Record<string, string> = {
  created: 'Template created as a draft. Check the preview, then submit it for review.',
  saved: 'Saved.',
  submitted: 'Submitted for review. You will see the decision here.',
};

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const str = (v: unknown) => (typeof first(v) === 'string' ? (first(v) as string) : '');
/** Last four digits only: the page confirms the number without repeating it whole. */
const masked = (to: string) => `…${to.replace(/\D/g, '').slice(-4)}`;

export function cardTemplatesPage(deps: CardTemplatesPageDeps): ConsolePage {
  const schemas = deps.schemas ?? cardSchemas();
  const forms = new CardFormSchemas(schemas);
  forms.checkAll(CARD_TYPES);
  const { templates, media } = deps.cards;
  const editor = new CardEditor({ templates, media, forms, schemas });
  const script = readFileSync(join(CONSOLE_TEMPLATES_DIR, 'card-editor.js'), 'utf8');
  const csp = editorCsp();
  const signaturesOf = async (accountId: string) => (deps.signatures ? await deps.signatures(accountId) : []);

  async function previewOptions(accountId: string, source: Record<string, unknown>): Promise<{ opts: PreviewOptions; signatures: string[] }> {
    const signatures = await signaturesOf(accountId);
    const asked = str(source.previewSignature);
    const lang = str(source.previewLang);
    return {
      signatures,
      opts: { signature: signatures.includes(asked) ? asked : signatures[0], lang: (PREVIEW_LANGS as readonly string[]).includes(lang) ? (lang as PreviewLang) : 'zh-CN' },
    };
  }

  async function load(accountId: string, id: string): Promise<CardTemplate> {
    try {
      if (!TEMPLATE_ID.test(id)) throw new AppError(404, 'NOT_FOUND', 'not found');
      return await templates.get(accountId, id);
    } catch (err) {
      if (err instanceof AppError && err.status === 404) throw new ConsoleError(404, 'This account has no card template at this address.');
      throw err;
    }
  }

  function showEditor(ctx: ConsolePageContext, res: Response, state: EditorState, signatures: string[], status = 200) {
    res.set('Content-Security-Policy', csp);
    ctx.render(res, 'cards/editor', editorPageData(state, { forms, schemas, signatures, sendTestAvailable: !!deps.sendTest }), status);
  }

  function typeOf(body: FormValues, fallback?: CardTemplate): { type: CardType; version: number } {
    if (fallback) return { type: fallback.type, version: fallback.version };
    const type = str(body['card.type']);
    if (!isCardType(type)) throw new ConsoleError(400, 'The form names no card type. Start again from "New template".');
    const version = Number(str(body['card.version']));
    return { type, version: schemas.schemaOf(type, version) ? version : schemas.latestVersion(type) };
  }

  async function postForm(ctx: ConsolePageContext, req: Request, res: Response, existing?: CardTemplate) {
    const account = consoleAccount(res);
    const body = (req.body ?? {}) as FormValues;
    const { type, version } = typeOf(body, existing);
    const { opts, signatures } = await previewOptions(account.id, body);
    const outcome = await editor.post(account.id, existing, type, version, body, formFiles(req), opts);
    if (outcome.kind === 'redirect') return res.redirect(303, outcome.to);
    showEditor(ctx, res, outcome.state, signatures, outcome.status);
  }

  return {
    nav: { label: 'Card templates', href: CARDS_PATH },
    routes(ctx) {
      const r = express.Router();

      r.get('/cards/editor.js', (_req, res) => {
        res.type('text/javascript').set('Cache-Control', 'private, max-age=300').send(script);
      });

      r.get('/cards', async (req, res) => {
        const account = consoleAccount(res);
        const status = str(req.query.status);
        const list = await templates.list(account.id, { limit: 1000, ...(status in STATUS_LABELS ? { status: status as CardTemplate['status'] } : {}) });
        ctx.render(res, 'cards/list', {
          title: 'Card templates',
          types: CARD_TYPES.map((t) => ({ value: t, label: typeTitle(schemas, t) })),
          filters: [{ value: '', label: 'All', current: !(status in STATUS_LABELS) }, ...Object.entries(STATUS_LABELS).map(([value, label]) => ({ value, label, current: value === status }))],
          templates: list.map((t) => ({
            id: t.id, name: t.name, type: typeTitle(schemas, t.type), status: t.status, statusLabel: STATUS_LABELS[t.status],
            updated: shortTime(t.updatedAt), href: `${CARDS_PATH}/${t.id}/edit`,
          })),
        });
      });

      r.get('/cards/new', async (req, res) => {
        const account = consoleAccount(res);
        const type = str(req.query.type);
        if (!isCardType(type)) {
          const choices = CARD_TYPES.map((t) => ({ value: t, label: typeTitle(schemas, t), description: schemas.schemaOf(t, schemas.latestVersion(t))?.schema.description }));
          return ctx.render(res, 'cards/new', { title: 'New card template', choices, unknown: type || undefined }, type ? 400 : 200);
        }
        const { opts, signatures } = await previewOptions(account.id, req.query);
        showEditor(ctx, res, editor.blank(type, opts), signatures);
      });

      r.post('/cards', (req, res) => postForm(ctx, req, res));

      r.post('/cards/preview', async (req, res) => {
        const account = consoleAccount(res);
        const body = (req.body ?? {}) as FormValues;
        const { type, version } = typeOf(body);
        const { opts } = await previewOptions(account.id, body);
        const preview = await editor.previewForm(type, version, body, opts);
        res.type('html').set('Cache-Control', 'no-store').send(ctx.views.fragment('cards/preview', { preview }));
      });

      r.get('/cards/:id/edit', async (req, res) => {
        const account = consoleAccount(res);
        const t = await load(account.id, String(req.params.id));
        const { opts, signatures } = await previewOptions(account.id, req.query);
        const notice = Object.keys(req.query).map((k) => NOTICES[k]).find(Boolean);
        showEditor(ctx, res, await editor.saved(account.id, t, opts, { notice }), signatures);
      });

      r.post('/cards/:id', async (req, res) => {
        await postForm(ctx, req, res, await load(consoleAccount(res).id, String(req.params.id)));
      });

      r.post('/cards/:id/submit', async (req, res) => {
        const account = consoleAccount(res);
        const t = await load(account.id, String(req.params.id));
        try {
          await templates.submit(account.id, t.id);
          return res.redirect(303, `${CARDS_PATH}/${t.id}/edit?submitted`);
        } catch (err) {
          const problems = problemsOf(err);
          if (!problems) throw err;
          const { opts, signatures } = await previewOptions(account.id, {});
          showEditor(ctx, res, await editor.saved(account.id, t, opts, { problems }), signatures, (err as AppError).status);
        }
      });

      r.post('/cards/:id/test', async (req, res) => {
        const account = consoleAccount(res);
        const t = await load(account.id, String(req.params.id));
        const body = (req.body ?? {}) as FormValues;
        const to = str(body.to).trim();
        const { opts, signatures } = await previewOptions(account.id, {});
        const signature = signatures.includes(str(body.signature)) ? str(body.signature) : opts.signature;
        const show = async (problems: { field: string; message: string }[], status: number, notice?: string) =>
          showEditor(ctx, res, await editor.saved(account.id, t, opts, { test: { to: notice ? '' : to, signature, problems, notice } }), signatures, status);
        if (!deps.sendTest) return show([{ field: 'to', message: 'Test sends are not available on this server yet.' }], 503);
        if (t.status !== 'approved') return show([{ field: 'to', message: `Only an approved template can be sent; this one is ${STATUS_LABELS[t.status].toLowerCase()}.` }], 409);
        if (!TEST_NUMBER.test(to)) return show([{ field: 'to', message: 'Enter the phone number to send the test to, e.g. +8613800138000.' }], 400);
        try {
          const sent = await deps.sendTest(account, t.id, to, t.sampleVariables, { signature });
          return show([], 200, `Test sent to the number ending ${masked(to)} (${sent.reference}).`);
        } catch (err) {
          const problems = problemsOf(err);
          if (!problems) throw err;
          return show(problems.map((p) => ({ field: 'to', message: p.message })), (err as AppError).status);
        }
      });

      return r;
    },
  };
}
