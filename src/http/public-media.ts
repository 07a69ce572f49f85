/**
 * How the public media routes answer (card images at /m/{id}, MMS media at /mm/{id}): what H5
 * pages and handsets load without a key. Nothing but the bytes may run (a CSP of its own, no
 * sniffing), any page may embed them, and caches keep them as `cacheControl` says.
 */
import { createHash } from 'node:crypto';
import type { Response, Router } from 'express';
import { notFound } from './app-error.js';

export interface PublicMedia {
  mime: string;
  bytes: Buffer;
  /** Hex SHA-256 of the bytes when stored (the ETag); else computed. */
  sha256?: string;
}

export function sendPublicMedia(res: Response, m: PublicMedia, cacheControl: string): void {
  res.set({
    'Cache-Control': cacheControl,
    ETag: `"${m.sha256 ?? createHash('sha256').update(m.bytes).digest('hex')}"`,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Content-Security-Policy': "default-src 'none'",
  });
  // express answers 304 itself when If-None-Match matches the ETag.
  res.type(m.mime).send(m.bytes);
}

/** Registers `GET <path>` (path ending in `:mediaId`): an id of the wrong shape is a 404 without a lookup. */
export function publicMediaRoute(r: Router, path: string, id: RegExp, load: (id: string) => Promise<PublicMedia | undefined>, cacheControl: string): void {
  r.get(path, async (req, res) => {
    const mediaId = String(req.params.mediaId);
    const m = id.test(mediaId) ? await load(mediaId) : undefined;
    if (!m) throw notFound(`Media ${mediaId}`);
    sendPublicMedia(res, m, cacheControl);
  });
}
