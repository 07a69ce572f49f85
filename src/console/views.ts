/**
 * The console's handlebars views, compiled once when the console starts: `layout.hbs` wraps every
 * page, `partials/*.hbs` are partials by file name, every other `*.hbs` is a page named by its path
 * without the extension (`login`, `reports/backfill`). A later page adds a template file and calls
 * `render('its/name', data)`; nothing here changes.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

export const CONSOLE_TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'templates', 'console');

/** What the layout reads besides the page body. */
export interface LayoutData {
  /** The <title> and the page's heading. */
  title: string;
  /** The logged-in account; absent on the login and error pages before login. */
  account?: { id: string; name: string; keyPrefix: string };
  nav?: { label: string; href: string; current: boolean }[];
  csrfToken?: string;
}

export class ConsoleViews {
  private readonly pages = new Map<string, Handlebars.TemplateDelegate>();
  private readonly layout: Handlebars.TemplateDelegate;
  /** The stylesheet, served at /console/assets/console.css. */
  readonly css: string;

  constructor(dir = CONSOLE_TEMPLATES_DIR) {
    const hbs = Handlebars.create();
    hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => f.split('\\').join('/')).sort();
    // preventIndent: a partial called on an indented line must not indent every line it prints, or
    // multi-line values (a <pre>, a srcdoc page whose inline style is allowed by its hash) change.
    const compile = (f: string) => hbs.compile(readFileSync(join(dir, f), 'utf8'), { preventIndent: true });
    for (const f of files.filter((f) => f.startsWith('partials/') && f.endsWith('.hbs'))) {
      hbs.registerPartial(f.slice('partials/'.length, -4), readFileSync(join(dir, f), 'utf8'));
    }
    for (const f of files.filter((f) => f.endsWith('.hbs') && !f.startsWith('partials/') && f !== 'layout.hbs')) {
      this.pages.set(f.slice(0, -4), compile(f));
    }
    this.layout = compile('layout.hbs');
    this.css = readFileSync(join(dir, 'console.css'), 'utf8');
    // Handlebars compiles lazily; render every page's source now so a syntax error stops the start.
    for (const [name, t] of this.pages) {
      try {
        t({});
      } catch (err) {
        throw new Error(`console template ${name}.hbs: ${(err as Error).message}`);
      }
    }
  }

  /** A page's template alone, without the layout (HTML fragments a page's script swaps in). */
  fragment(page: string, data: Record<string, unknown>): string {
    const t = this.pages.get(page);
    if (!t) throw new Error(`no console template ${page}.hbs`);
    return t(data);
  }

  /** The page inside the layout; every value is HTML-escaped unless a template says otherwise. */
  render(page: string, data: LayoutData & Record<string, unknown>): string {
    const t = this.pages.get(page);
    if (!t) throw new Error(`no console template ${page}.hbs`);
    return this.layout({ ...data, body: t(data) });
  }
}
