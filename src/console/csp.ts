/**
 * The console's Content-Security-Policy. Every page gets the base policy: plain HTML and the one
 * stylesheet, nothing else (no scripts, frames or foreign form targets). A page that needs more
 * (the card editor's previews and its small script) widens single directives for its own
 * responses with `consoleCsp({...})`; every other directive stays as strict.
 */
export type CspDirectives = Record<string, string>;

export const CONSOLE_CSP_DIRECTIVES: Readonly<CspDirectives> = Object.freeze({
  'default-src': "'none'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
  'base-uri': "'none'",
});

/** The base policy with some directives replaced or added. */
export function consoleCsp(overrides: CspDirectives = {}): string {
  return Object.entries({ ...CONSOLE_CSP_DIRECTIVES, ...overrides }).map(([k, v]) => `${k} ${v}`).join('; ');
}
