/**
 * The editor's side-by-side preview, rendered on the server by the cards module (the same
 * renderers a send uses): the Android card and the iPhone's H5 page are the H5 rendering shown in
 * sandboxed `<iframe srcdoc>` frames, the iPhone's message is the smart-SMS text, and the plain
 * text is the fallback. Problems (a field too long once variables are filled in, a variable
 * without a sample value) come back as field problems, shown next to their inputs.
 */
import { createHash } from 'node:crypto';
import type { CardPreview, CardTemplateInput, CardTemplateService } from '../../cards/card-template.service.js';
import type { CardRenderContext } from '../../cards/render/card-renderer.js';
import { cardViews } from '../../cards/render/card-views.js';
import { AppError } from '../../http/app-error.js';
import { PREVIEW_LINK } from '../../http/routes/cards.routes.js';
import { consoleCsp } from '../csp.js';
import type { FieldProblem } from './card-form-view.js';

export const PREVIEW_LANGS = ['zh-CN', 'en'] as const;
export type PreviewLang = (typeof PREVIEW_LANGS)[number];

/** What the text forms carry in a preview besides the card. */
export interface PreviewOptions {
  signature?: string;
  lang: PreviewLang;
}

export interface PreviewView {
  /** Absent when the card could not be rendered (see problems). */
  h5?: string;
  smartSms?: string;
  text?: string;
  problems: FieldProblem[];
  /** Nothing was asked yet (a new template before its first preview). */
  pending?: boolean;
}

/**
 * The editor pages' policy: the console's, plus what the preview frames and the editor's script
 * need. A srcdoc frame inherits this policy, so the H5 page's own stylesheet and script are
 * allowed by their hashes (the frames are sandboxed without same-origin: the card's script runs,
 * e.g. its copy button, but can reach nothing of the console); the card's images and video may
 * sit at https addresses (the marketer's CDN); the editor's script and its preview requests come
 * from the console itself.
 */
export function editorCsp(): string {
  const hash = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;
  const views = cardViews();
  return consoleCsp({
    'style-src': `'self' ${hash(views.css)}`, 'img-src': "'self' data: https:", 'media-src': "'self' https:",
    'script-src': `'self' ${hash(views.js)}`, 'connect-src': "'self'",
  });
}

/** An error of the cards module as field problems (its details when it lists them, else its own field). */
export function problemsOf(err: unknown): FieldProblem[] | undefined {
  if (!(err instanceof AppError) || err.status >= 500) return undefined;
  const details = Array.isArray(err.details) ? (err.details as unknown[]) : [];
  const listed = details.filter((d): d is { field: string; message: string; variables?: string[] } =>
    !!d && typeof (d as FieldProblem).field === 'string' && typeof (d as FieldProblem).message === 'string');
  if (listed.length) {
    return listed.map((d) => ({
      field: d.field,
      message: d.variables?.length && err.code === 'CARD_RENDERED_INVALID' ? `${d.message} (after filling in ${d.variables.map((v) => `{{${v}}}`).join(', ')})` : d.message,
    }));
  }
  // The cards module names a missing value `variables.x`; the editor's rows are the sample values.
  const field = (err.field ?? '').replace(/^variables\./, 'sampleVariables.');
  return [{ field, message: err.message.replace(/^variables\.[A-Za-z0-9_]+: /, '') }];
}

function renderContext(opts: PreviewOptions): CardRenderContext {
  // Buttons go nowhere inside the preview frame: it may not navigate (the frame's policy blocks it).
  return { signature: opts.signature, link: PREVIEW_LINK, lang: opts.lang, buttonUrl: () => '#' };
}

function view(p: CardPreview): PreviewView {
  return { h5: p.renderings.h5?.body, smartSms: p.renderings['smart-sms']?.body, text: p.renderings.text?.body, problems: [] };
}

async function attempt(run: () => CardPreview | Promise<CardPreview>): Promise<PreviewView> {
  try {
    return view(await run());
  } catch (err) {
    const problems = problemsOf(err);
    if (!problems) throw err;
    return { problems };
  }
}

/** The preview of what is in the form (not saved). */
export function previewUnsaved(templates: CardTemplateService, input: CardTemplateInput, opts: PreviewOptions): Promise<PreviewView> {
  return attempt(() => templates.previewUnsaved(input, {}, renderContext(opts)));
}

/** The preview of a saved template of the account, with its sample values. */
export function previewSaved(templates: CardTemplateService, accountId: string, id: string, opts: PreviewOptions): Promise<PreviewView> {
  return attempt(() => templates.preview(accountId, id, {}, renderContext(opts)));
}
