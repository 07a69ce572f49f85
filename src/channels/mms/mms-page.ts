/**
 * The H5 page of an MMS (templates/mms/page.hbs): what the link in the SMS of an MMS send that fell
 * back to text opens. It shows the subject and every slide as the MMS would: the fitted picture, or
 * a video or audio player, and the slide's text with the recipient's variables filled in. Media
 * come from /mm/{mediaId} (public, approved templates only).
 *
 * Every value is escaped; the page loads nothing but its own media: its one inline style is
 * allowed by hash and there is no script, as on the card page (src/cards/render/card-views.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { cspHash } from '../../cards/render/card-views.js';
import { AppError } from '../../http/app-error.js';
import type { ResolvedLink } from '../../links/link.js';
import type { PreparedMmsTemplate } from './mms-prepared-template.js';
import { MMS_TEMPLATES_DIR } from './mms-smil.js';
import type { MmsTemplateService } from './mms-template.service.js';

/** The path an MMS template's media is served at (the H5 page's src). */
export const mmsMediaPath = (mediaId: string) => `/mm/${mediaId}`;

export interface MmsPageMedia {
  src: string;
  mime: string;
}

/** One slide of the page: its text once rendered, and its media. */
export interface MmsPageSlide {
  text: string;
  image?: MmsPageMedia;
  video?: MmsPageMedia;
  audio?: MmsPageMedia;
}

export interface MmsPageView {
  subject: string;
  slides: MmsPageSlide[];
}

interface Compiled {
  page: Handlebars.TemplateDelegate;
  css: string;
  csp: string;
}

let compiled: Compiled | undefined;
function views(): Compiled {
  if (!compiled) {
    const css = readFileSync(join(MMS_TEMPLATES_DIR, 'page.css'), 'utf8');
    compiled = {
      page: Handlebars.create().compile(readFileSync(join(MMS_TEMPLATES_DIR, 'page.hbs'), 'utf8'), { strict: false }),
      css,
      csp: ["default-src 'none'", "img-src 'self'", "media-src 'self'", `style-src ${cspHash(css)}`, "base-uri 'none'", "form-action 'none'"].join('; '),
    };
  }
  return compiled;
}

/** The page's HTML. */
export function renderMmsPage(view: MmsPageView): string {
  const v = views();
  return v.page({ ...view, title: view.subject.trim() || '彩信', css: v.css, csp: v.csp });
}

/** The page view of a prepared template for one recipient, or undefined when their variables do not render. */
export function mmsPageView(prepared: PreparedMmsTemplate, variables: Readonly<Record<string, unknown>>): MmsPageView | undefined {
  const rendered = prepared.tryRender(variables);
  if ('refused' in rendered) return undefined;
  const mediaOf = (slide: number, role: 'image' | 'video' | 'audio'): MmsPageMedia | undefined => {
    const id = prepared.template.slides[slide][role];
    const part = prepared.fit.media.find((p) => p.slide === slide && p.role === role);
    return id && part ? { src: mmsMediaPath(id), mime: part.contentType } : undefined;
  };
  return {
    subject: rendered.subject,
    slides: rendered.texts.map((text, i) => ({ text, image: mediaOf(i, 'image'), video: mediaOf(i, 'video'), audio: mediaOf(i, 'audio') })),
  };
}

/**
 * Renders the page of an 'mms' short link (wired into the short-link handler by the composition root).
 * @param fallback the page for a link whose MMS cannot be shown (template gone or not approved,
 *   variables that do not render): the link's plain page.
 */
export function mmsPageRenderer(deps: { templates: Pick<MmsTemplateService, 'prepare'>; fallback: (link: ResolvedLink) => string }): (link: ResolvedLink) => Promise<string> {
  return async (link) => {
    if (!link.mms) return deps.fallback(link);
    let prepared: PreparedMmsTemplate;
    try {
      prepared = await deps.templates.prepare(link.accountId, link.mms.templateId);
    } catch (err) {
      if (err instanceof AppError) return deps.fallback(link);
      throw err;
    }
    const view = mmsPageView(prepared, link.mms.variables);
    return view ? renderMmsPage(view) : deps.fallback(link);
  };
}
