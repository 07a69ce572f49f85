/**
 * The public short-link path, on plain node:http (no Express: its per-request machinery alone
 * costs more than half the throughput of a bare server, and this path must stay within 2× of one):
 *
 *   GET|HEAD /s/:code                 302 to the target, or the page of a card link or an MMS link
 *   GET|HEAD /s/:code/b/:button?u&s   a card page's button: records the tap, 302 to the signed target
 *   POST     /s/:code/b/:button       a button that does not navigate (copy a code): records, 204
 *
 * Unknown codes get a friendly 404 page, expired links a 410 page; both are counted nowhere. A
 * link found in this process's cache is answered synchronously; the click goes to the recorder
 * (Redis, asynchronously) with what the report needs: device and bot flag from the user agent, and
 * the identity UV counts: the recipient of a personalised link, else HMAC(IP, user agent, day).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logging/logger.js';
import { cut, type ClickEvent } from './click-event.js';
import type { ClickSink } from './click-recorder.js';
import type { Identities } from './identity.js';
import type { LinkCache } from './link-cache.js';
import { isLinkCodeShape } from './link-code.js';
import type { LinkPages } from './link-pages.js';
import type { ResolvedLink } from './link.js';
import { classifyCached } from './user-agent.js';

/** What a card page may call to build its buttons. */
export interface CardPageContext {
  /** URL of a navigating button: records the tap, then redirects to `target`. */
  buttonUrl(button: string, target: string): string;
  /** URL to POST (navigator.sendBeacon) when a button that does not navigate is tapped. */
  beaconUrl(button: string): string;
}

/** Renders the H5 page of a card link (the card renderer, wired in by the composition root). */
export type CardPageRenderer = (link: ResolvedLink, ctx: CardPageContext) => string | Promise<string>;

export interface RedirectDeps {
  cache: Pick<LinkCache, 'peek' | 'resolve'>;
  recorder: ClickSink;
  identities: Identities;
  pages: LinkPages;
  logger: Logger;
  /** Default: a plain page offering the link's target. */
  renderCardPage?: CardPageRenderer;
  /** Renders the H5 page of an 'mms' link (src/channels/mms/mms-page.ts). Default: the plain page. */
  renderMmsPage?: (link: ResolvedLink) => string | Promise<string>;
  /** Origin of button URLs on card pages (the short-link base URL). */
  baseUrl: () => string;
}

const BUTTON = /^[A-Za-z0-9_.-]{1,40}$/;
const UNSAFE_SCHEME = /^\s*(?:javascript|data|vbscript|file):/i;
const NO_STORE = 'no-store';

type Action = { kind: 'open' } | { kind: 'button'; button: string; target: string | null };

/** Returns a request listener step: true when it answered (a /s/ path), false to pass the request on. */
export function shortLinkHandler(deps: RedirectDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { cache, pages, logger } = deps;

  const html = (res: ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': NO_STORE, 'X-Robots-Tag': 'noindex', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };

  const record = (req: IncomingMessage, link: ResolvedLink, action: Action, now: number) => {
    const ua = req.headers['user-agent'];
    const client = classifyCached(req.method ?? 'GET', ua);
    const event: ClickEvent = {
      a: link.accountId, c: link.code, g: link.campaignId, t: link.card?.templateId ?? null,
      k: action.kind === 'open' ? 'o' : 'b', b: action.kind === 'button' ? action.button : null, ts: now,
      i: link.recipient ?? deps.identities.visitor(req.socket.remoteAddress ?? '', ua ?? '', now), p: link.recipient ? 1 : 0,
      d: client.device, o: client.os, w: client.browser, x: client.botReason, m: req.method ?? 'GET',
      u: cut(ua), r: cut(req.headers.referer),
    };
    deps.recorder.record(event);
  };

  const cardContext = (code: string): CardPageContext => ({
    buttonUrl: (button, target) => `${deps.baseUrl()}/s/${code}/b/${encodeURIComponent(button)}?u=${encodeURIComponent(target)}&s=${deps.identities.buttonSignature(code, button, target)}`,
    beaconUrl: (button) => `${deps.baseUrl()}/s/${code}/b/${encodeURIComponent(button)}`,
  });

  const respond = (req: IncomingMessage, res: ServerResponse, link: ResolvedLink | null, action: Action): void | Promise<void> => {
    const now = Date.now();
    if (!link) return html(res, 404, pages.notFound);
    if (link.expiresAt !== null && link.expiresAt <= now) return html(res, 410, pages.gone);
    if (action.kind === 'button') {
      if (req.method === 'POST') {
        record(req, link, action, now);
        res.writeHead(204, { 'Cache-Control': NO_STORE });
        return void res.end();
      }
      const target = action.target;
      if (target === null) return html(res, 404, pages.notFound);
      record(req, link, action, now);
      res.writeHead(302, { Location: target, 'Cache-Control': NO_STORE, 'Referrer-Policy': 'no-referrer', 'Content-Length': 0 });
      return void res.end();
    }
    record(req, link, action, now);
    if (link.kind === 'redirect' && link.targetUrl) {
      res.writeHead(302, { Location: link.targetUrl, 'Cache-Control': NO_STORE, 'Referrer-Policy': 'no-referrer', 'Content-Length': 0 });
      return void res.end();
    }
    const render = (link.kind === 'mms' ? deps.renderMmsPage : deps.renderCardPage) ?? ((l: ResolvedLink) => pages.link(l.targetUrl));
    const page = render(link, cardContext(link.code));
    if (typeof page === 'string') return html(res, 200, page);
    return page.then((p) => html(res, 200, p));
  };

  const fail = (res: ServerResponse, err: unknown) => {
    logger.error('short link request failed', { err: err instanceof Error ? err.stack ?? err.message : String(err) });
    if (!res.headersSent) html(res, 500, pages.error);
    else res.destroy();
  };

  return (req, res) => {
    const url = req.url ?? '';
    if (!url.startsWith('/s/')) return false;
    const q = url.indexOf('?');
    const path = q === -1 ? url.slice(3) : url.slice(3, q);
    const parts = path.endsWith('/') ? path.slice(0, -1).split('/') : path.split('/');
    const method = req.method;
    let action: Action;
    if (parts.length === 1 && (method === 'GET' || method === 'HEAD')) action = { kind: 'open' };
    else if (parts.length === 3 && parts[1] === 'b' && (method === 'GET' || method === 'HEAD' || method === 'POST')) {
      const button = safeDecode(parts[2]);
      if (button === null || !BUTTON.test(button)) return html(res, 404, pages.notFound), true;
      action = { kind: 'button', button, target: method === 'POST' ? null : signedTarget(deps.identities, parts[0], button, q === -1 ? '' : url.slice(q + 1)) };
    } else return false;
    const code = parts[0];
    if (!isLinkCodeShape(code)) return html(res, 404, pages.notFound), true;
    try {
      const cached = cache.peek(code);
      const done = cached !== undefined ? respond(req, res, cached, action) : cache.resolve(code).then((link) => respond(req, res, link, action));
      if (done) done.catch((err) => fail(res, err));
    } catch (err) {
      fail(res, err);
    }
    return true;
  };
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** The button's target when `u` carries the signature `s` the link's card page was given; else null. */
function signedTarget(identities: Identities, code: string, button: string, query: string): string | null {
  const params = new URLSearchParams(query);
  const target = params.get('u');
  const sig = params.get('s');
  if (!target || !sig || UNSAFE_SCHEME.test(target) || /[\r\n]/.test(target)) return null;
  if (!identities.verifyButton(code, button, target, sig)) return null;
  // A Location header is ASCII: percent-encode anything else (an IRI's path, a space).
  return target.replace(/[^\x21-\x7e]+/g, (m) => encodeURIComponent(m));
}
