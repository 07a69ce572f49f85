/**
 * multipart/form-data for console forms that upload files (card images), without a parser
 * dependency: Node's own WHATWG `Request#formData()` (undici) reads the buffered body. Text fields
 * land in `req.body` as the urlencoded parser would put them (so the CSRF check reads `_csrf` the
 * same way); files are kept aside, read with `formFiles(req)`.
 *
 * Only requests that carry a correctly signed session cookie are buffered (`when`): an anonymous
 * client cannot make the console hold megabytes, its multipart post simply fails the CSRF check.
 */
import express, { type Request, type RequestHandler } from 'express';
import { ConsoleError } from './console-page.js';

/** One uploaded file of a form. */
export interface FormFile {
  /** The file name the browser sent (for messages only). */
  filename: string;
  /** The declared type; never trusted (the image processor reads the bytes). */
  type: string;
  bytes: Buffer;
}

const files = new WeakMap<Request, Map<string, FormFile>>();

/** The files of a multipart request by field name (empty for other requests and empty file inputs). */
export function formFiles(req: Request): ReadonlyMap<string, FormFile> {
  return files.get(req) ?? new Map();
}

export interface MultipartOptions {
  /** Largest body accepted, in bytes. */
  limitBytes: number;
  /** Whether this request may be buffered at all. */
  when: (req: Request) => boolean;
}

export function multipartForm(opts: MultipartOptions): RequestHandler {
  const raw = express.raw({ type: 'multipart/form-data', limit: opts.limitBytes });
  const mb = Math.floor(opts.limitBytes / 1048576);
  return (req, res, next) => {
    if (!req.is('multipart/form-data') || !opts.when(req)) return next();
    raw(req, res, (err?: unknown) => {
      if (err) {
        const tooLarge = (err as { type?: string }).type === 'entity.too.large';
        return next(new ConsoleError(tooLarge ? 413 : 400, tooLarge ? `The form with its files is larger than ${mb} MB. Upload fewer or smaller images at a time.` : 'The form could not be read.'));
      }
      parse(req).then(next, () => next(new ConsoleError(400, 'The form could not be read.')));
    });
  };
}

async function parse(req: Request): Promise<void> {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  const form = await new globalThis.Request('http://console.invalid/', { method: 'POST', headers: { 'content-type': req.headers['content-type']! }, body: body as unknown as BodyInit }).formData();
  const fields: Record<string, string | string[]> = Object.create(null);
  const found = new Map<string, FormFile>();
  for (const [name, value] of form) {
    if (typeof value === 'string') {
      const prev = fields[name];
      fields[name] = prev === undefined ? value : ([] as string[]).concat(prev, value);
    } else if (value.size > 0) {
      found.set(name, { filename: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
    }
  }
  req.body = fields;
  files.set(req, found);
}
