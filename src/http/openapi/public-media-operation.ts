/** The operation of a public media route (/m/{mediaId}, /mm/{mediaId}): no key, cached, ETag and 304. */
import { operation, pathParam, str, type Schema } from './operation.js';

export function publicMediaOperation(o: {
  id: string; tag: string; summary: string; description: string;
  /** e.g. `med_…` and an example id. */
  idPrefix: string; example: string;
  contentType: string; okDescription: string; cacheControl: string;
}): Schema {
  const op = operation({
    id: o.id, tag: o.tag, auth: 'none', summary: o.summary, description: o.description,
    parameters: [pathParam('mediaId', `Media id (${o.idPrefix}).`, str(), o.example)],
    ok: {
      status: 200, description: o.okDescription, contentType: o.contentType, schema: { type: 'string', contentMediaType: o.contentType },
      headers: { 'Cache-Control': { schema: str({ example: o.cacheControl }) }, ETag: { schema: str() } },
    },
    errors: ['NOT_FOUND'],
  });
  return { ...op, responses: { ...(op.responses as object), 304: { description: 'Not modified: If-None-Match matched the ETag.' } } };
}
