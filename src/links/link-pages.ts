/**
 * The HTML the short-link path answers with besides redirects: friendly 404 (unknown code), 410
 * (expired) and 500 pages, and the default page of a card link until a card renderer is wired in.
 * Templates are in templates/links (handlebars, every value escaped); the fixed pages are rendered
 * once at start.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

export const LINK_TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'links');

export class LinkPages {
  readonly notFound: string;
  readonly gone: string;
  readonly error: string;
  private readonly layout: Handlebars.TemplateDelegate;
  private readonly linkPage: Handlebars.TemplateDelegate;

  constructor(dir = LINK_TEMPLATES_DIR) {
    const hbs = Handlebars.create();
    const compile = (name: string) => hbs.compile(readFileSync(join(dir, `${name}.hbs`), 'utf8'), { strict: false });
    this.layout = compile('layout');
    this.linkPage = compile('link');
    const page = (name: string, title: string) => this.layout({ title, body: compile(name)({}) });
    this.notFound = page('not-found', '链接不存在 · Link not found');
    this.gone = page('gone', '链接已过期 · Link expired');
    this.error = page('error', '服务繁忙 · Try again later');
  }

  /** The default page of a card link: a plain page offering the link's target, if it has one. */
  link(targetUrl: string | null): string {
    return this.layout({ title: '即将打开 · Opening', body: this.linkPage({ targetUrl }) });
  }
}
