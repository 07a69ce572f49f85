/**
 * The handlebars templates of rendered cards (templates/cards/), compiled once:
 * - `h5/<type>.hbs` the card inside `h5/page.hbs`, with `h5/card.css` and `h5/card.js` inlined
 *   (the page loads nothing but the card's own media) and a Content-Security-Policy that allows
 *   exactly that style and script by hash;
 * - `text/<type>.hbs` the plain-text fallback, `smart-sms.hbs` the smart-SMS text;
 * - `partials/h5-*.hbs` and `partials/text-*.hbs`, partials by file name.
 * HTML templates escape every value; text templates print values as they are.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { CARD_TYPES, type CardType } from '../card-model.js';

export const CARD_TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'templates', 'cards');

type Template = Handlebars.TemplateDelegate;

/** A CSP source allowing exactly this inline style or script: `'sha256-…'`. */
export const cspHash = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

export class CardViews {
  readonly h5 = new Map<CardType, Template>();
  readonly text = new Map<CardType, Template>();
  readonly page: Template;
  readonly smartSms: Template;
  readonly css: string;
  readonly js: string;
  /** The page's Content-Security-Policy: its own style and script by hash, media from this origin or https. */
  readonly csp: string;

  constructor(dir = CARD_TEMPLATES_DIR) {
    const html = Handlebars.create();
    const text = Handlebars.create();
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    const compileText = (src: string) => text.compile(src, { noEscape: true, strict: false });
    for (const f of readdirSync(join(dir, 'partials')).filter((f) => f.endsWith('.hbs'))) {
      const name = f.slice(0, -4);
      if (name.startsWith('h5-')) html.registerPartial(name, read(`partials/${f}`));
      else if (name.startsWith('text-')) text.registerPartial(name, compileText(read(`partials/${f}`)));
      else throw new Error(`templates/cards/partials/${f}: partial names start with h5- or text-`);
    }
    for (const type of CARD_TYPES) {
      this.h5.set(type, html.compile(read(`h5/${type}.hbs`)));
      this.text.set(type, compileText(read(`text/${type}.hbs`)));
    }
    this.page = html.compile(read('h5/page.hbs'));
    this.smartSms = compileText(read('smart-sms.hbs'));
    this.css = read('h5/card.css');
    this.js = read('h5/card.js');
    this.csp = [
      "default-src 'none'", "img-src 'self' https: data:", "media-src 'self' https:", `style-src ${cspHash(this.css)}`,
      `script-src ${cspHash(this.js)}`, "connect-src 'self' https:", "base-uri 'none'", "form-action 'none'",
    ].join('; ');
  }
}

let shared: CardViews | undefined;

/** The card templates, compiled once per process. */
export function cardViews(): CardViews {
  shared ??= new CardViews();
  return shared;
}
