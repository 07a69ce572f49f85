/**
 * Public API documentation: the OpenAPI 3.1 document at GET /openapi.json and a rendered,
 * self-contained reference page at GET /docs (no CDN, no scripts). Both are built once, when the
 * router is created: the document is static for a given build.
 */
import express from 'express';
import { openApiDocument } from '../openapi/index.js';
import { renderDocsHtml } from '../openapi/docs-html.js';

export function docsRouter(): express.Router {
  const router = express.Router();
  const doc = openApiDocument();
  const json = JSON.stringify(doc);
  const html = renderDocsHtml(doc);

  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').set('Cache-Control', 'no-cache').send(json);
  });
  router.get('/docs', (_req, res) => {
    res
      .type('html')
      .set('Cache-Control', 'no-cache')
      // The page is static HTML with inline CSS only.
      .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
      .send(html);
  });
  return router;
}
