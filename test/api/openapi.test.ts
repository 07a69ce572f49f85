/**
 * The OpenAPI document must describe exactly the routes the app registers, be well-formed 3.1,
 * agree with the zod schemas the routes parse with, and name every error code the code emits.
 * The route table comes from the real routers (built with dummy deps: they only register handlers)
 * mounted by the real createApp, so adding a route without documenting it fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RequestHandler } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApp } from '../../src/http/app.js';
import type { Authenticator } from '../../src/http/auth.js';
import { silentLogger } from '../../src/logging/logger.js';
import { accountRouter } from '../../src/http/routes/account.routes.js';
import { adminRouter } from '../../src/http/routes/admin.routes.js';
import { docsRouter } from '../../src/http/routes/docs.routes.js';
import { messagesRouter } from '../../src/http/routes/messages.routes.js';
import { reportsRouter } from '../../src/http/routes/reports.routes.js';
import { backfillReportRouter } from '../../src/http/routes/backfill-report.routes.js';
import { accountSmppCredentialsRouter, smppCredentialsRouter } from '../../src/http/routes/smpp-credentials.routes.js';
import { createSenderIdSchema, rejectSchema, reviewQuery, senderIdsAdminRouter, senderIdsRouter, updateSenderIdSchema } from '../../src/http/routes/sender-ids.routes.js';
import { whatsappAdminRouter, whatsappRouter } from '../../src/http/routes/whatsapp.routes.js';
import { whatsappWebhookRouter } from '../../src/http/routes/whatsapp-webhook.routes.js';
import { verificationsRouter } from '../../src/http/routes/verifications.routes.js';
import { cardMediaRouter, cardTemplatesAdminRouter, cardTemplatesRouter } from '../../src/http/routes/cards.routes.js';
import { createLinkSchema, linksRouter } from '../../src/http/routes/links.routes.js';
import { clickReportRouter } from '../../src/http/routes/click-report.routes.js';
import { fallbackReportRouter } from '../../src/http/routes/fallback-report.routes.js';
import { cardCampaignsRouter } from '../../src/http/routes/card-campaigns.routes.js';
import { rcsAdminRouter, rcsRouter } from '../../src/http/routes/rcs.routes.js';
import { rcsWebhookRouter } from '../../src/http/routes/rcs-webhook.routes.js';
import { mmsAdminRouter, mmsMediaRouter, mmsRouter } from '../../src/http/routes/mms.routes.js';
import { fallbackAdminRouter } from '../../src/http/routes/fallback-admin.routes.js';
import { batchSchema, chainSendSchema, listQuerySchema, sendSchema } from '../../src/http/routes/message-schemas.js';
import { ERROR_CODES, UPSTREAM_CODES, openApiDocument } from '../../src/http/openapi/index.js';
import { sendWhatsAppSchema } from '../../src/channels/whatsapp/whatsapp-request.js';

type Json = Record<string, any>; // plain JSON walked by key

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dummy = {} as never;
/** Every router factory of src/http/routes; the test below fails when a new one is not added here. */
const factories = { messagesRouter, accountRouter, adminRouter, reportsRouter, backfillReportRouter, docsRouter, smppCredentialsRouter, accountSmppCredentialsRouter, senderIdsRouter, senderIdsAdminRouter, whatsappRouter, whatsappAdminRouter, whatsappWebhookRouter, verificationsRouter, cardTemplatesRouter, cardTemplatesAdminRouter, cardMediaRouter, linksRouter, clickReportRouter, cardCampaignsRouter, rcsRouter, rcsAdminRouter, rcsWebhookRouter, mmsRouter, mmsAdminRouter, fallbackAdminRouter, mmsMediaRouter, fallbackReportRouter };

function buildApp() {
  const pass: RequestHandler = (_req, _res, next) => next();
  const auth = { admin: () => pass, account: () => pass } as unknown as Authenticator;
  return createApp({
    auth,
    logger: silentLogger,
    routers: {
      raw: [whatsappWebhookRouter(dummy), rcsWebhookRouter(dummy)],
      public: [docsRouter(), cardMediaRouter(dummy), mmsMediaRouter(dummy)],
      admin: [adminRouter(dummy), smppCredentialsRouter(dummy), senderIdsAdminRouter(dummy), whatsappAdminRouter(dummy), cardTemplatesAdminRouter(dummy), rcsAdminRouter(dummy), mmsAdminRouter(dummy), fallbackAdminRouter(dummy)],
      account: [messagesRouter(dummy), accountRouter(dummy), reportsRouter(dummy), backfillReportRouter(dummy), accountSmppCredentialsRouter(dummy), senderIdsRouter(dummy), whatsappRouter(dummy), verificationsRouter(dummy), cardTemplatesRouter(dummy), linksRouter(dummy), clickReportRouter(dummy), cardCampaignsRouter(dummy), rcsRouter(dummy), mmsRouter(dummy), fallbackReportRouter(dummy)],
    },
  });
}

/** "METHOD /path/{param}" for every route in an Express 5 router stack, recursing into mounted routers. */
function routeTable(stack: Json[], prefix = ''): string[] {
  const out: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const path = layer.route.path;
      if (typeof path !== 'string' || /[*?()[\]]|\{(?!\w+\})/.test(path)) throw new Error(`cannot map route path ${String(path)} to OpenAPI`);
      const templated = prefix + path.replace(/:(\w+)/g, '{$1}');
      for (const m of Object.keys(layer.route.methods).filter((k) => k !== '_all')) out.push(`${m.toUpperCase()} ${templated}`);
    } else if (Array.isArray(layer.handle?.stack)) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      out.push(...routeTable(layer.handle.stack, prefix + mount));
    }
  }
  return out;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const doc = openApiDocument() as Json;
const operations = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
  METHODS.filter((m) => item[m]).map((m) => ({ key: `${m.toUpperCase()} ${path}`, path, method: m, op: item[m] as Json })));
const opById = (id: string) => operations.find((o) => o.op.operationId === id)!.op;

function pointer(ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  return ref.slice(2).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Json)[key] : undefined), doc);
}

function collectRefs(node: unknown, at: string, out: { at: string; ref: string }[] = []) {
  if (Array.isArray(node)) node.forEach((n, i) => collectRefs(n, `${at}/${i}`, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push({ at, ref: v });
      else collectRefs(v, `${at}/${k}`, out);
    }
  }
  return out;
}

const srcFiles = (dir: string): string[] => readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
const read = (f: string) => readFileSync(join(ROOT, f), 'utf8');

describe('OpenAPI document vs. the registered routes', () => {
  it('when a routes file exports a router factory, then this test builds it (so its routes are compared)', () => {
    const exported = srcFiles('src/http/routes').filter((f) => f.endsWith('.routes.ts'))
      .flatMap((f) => [...read(f).matchAll(/export function (\w+Router)\(/g)].map((m) => m[1]));
    expect(exported.sort()).toEqual(Object.keys(factories).sort());
  });

  it('when the app is built, then every route is documented and every documented operation exists', () => {
    const routes = [...new Set(routeTable((buildApp() as unknown as { router: { stack: Json[] } }).router.stack))].sort();
    expect(routes.length).toBeGreaterThan(30);
    const documented = operations.map((o) => o.key).sort();
    expect({ undocumented: routes.filter((r) => !documented.includes(r)), notRouted: documented.filter((d) => !routes.includes(d)) })
      .toEqual({ undocumented: [], notRouted: [] });
  });

  it('when served, then /openapi.json is the document and /docs renders every operation without fetching anything', async () => {
    const app = request(buildApp());
    const json = await app.get('/openapi.json').expect(200).expect('Content-Type', /json/);
    expect(json.body).toEqual(doc);
    const html = await app.get('/docs').expect(200).expect('Content-Type', /html/);
    for (const { op } of operations) expect(html.text).toContain(`id="${op.operationId}"`);
    expect(html.text).not.toMatch(/<script|https?:\/\/(?!spec\.openapis|acme\.example|smsc\.example)/);
  });
});

describe('OpenAPI document is well-formed 3.1', () => {
  it('when read, then it declares 3.1 with info, paths, webhooks and both bearer schemes', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(doc.components.securitySchemes).toMatchObject({ apiKey: { type: 'http', scheme: 'bearer' }, adminKey: { type: 'http', scheme: 'bearer' } });
    expect(Object.keys(doc.webhooks ?? {}).length).toBeGreaterThan(0);
  });

  it('when every operation is checked, then each has a unique operationId, a 2xx response, declared tags and path params', () => {
    const ids = new Set<string>();
    const tags = new Set((doc.tags as Json[]).map((t) => t.name));
    for (const { key, path, op } of operations) {
      expect(op.operationId, key).toMatch(/^[A-Za-z][A-Za-z0-9]*$/);
      expect(ids.has(op.operationId), `${key} repeats operationId ${op.operationId}`).toBe(false);
      ids.add(op.operationId);
      expect(Object.keys(op.responses ?? {}).some((s) => /^2\d\d$/.test(s)), `${key} has no 2xx`).toBe(true);
      for (const t of op.tags ?? []) expect(tags.has(t), `${key} tag ${t}`).toBe(true);
      const params = (op.parameters ?? []).map((p: Json) => (p.$ref ? pointer(p.$ref) : p) as Json);
      const inPath = params.filter((p: Json) => p.in === 'path');
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(inPath.map((p: Json) => p.name).sort(), `${key} path parameters`).toEqual(templated.sort());
      for (const p of inPath) expect(p.required, `${key} ${p.name}`).toBe(true);
    }
  });

  it('when every $ref is followed, then it resolves inside the document', () => {
    const refs = collectRefs(doc, '#');
    expect(refs.length).toBeGreaterThan(50);
    expect(refs.filter((r) => pointer(r.ref) === undefined)).toEqual([]);
  });

  it('when security is read, then /v1/admin/* needs the admin key, other /v1 routes the API key, the rest nothing', () => {
    for (const { key, path, op } of operations) {
      const expected = path.startsWith('/v1/admin/') ? [{ adminKey: [] }] : path.startsWith('/v1/') ? [{ apiKey: [] }] : [];
      expect(op.security, key).toEqual(expected);
    }
  });

  it('when the two send routes are read, then they take an Idempotency-Key header', () => {
    for (const id of ['sendMessage', 'sendBatch']) {
      const params = (opById(id).parameters as Json[]).map((p) => (p.$ref ? pointer(p.$ref) : p) as Json);
      expect(params).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
    }
  });

  it('when the webhooks are read, then they carry the X-Signature header and the report payloads', () => {
    for (const hook of Object.values(doc.webhooks as Json)) {
      const post = (hook as Json).post;
      expect(post.parameters).toContainEqual(expect.objectContaining({ name: 'X-Signature', in: 'header', required: true }));
      expect(post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CallbackBatch' });
    }
    expect(doc.components.schemas.Report.oneOf).toEqual([{ $ref: '#/components/schemas/StatusReport' }, { $ref: '#/components/schemas/MoReport' }]);
  });
});

/** The constraints both sides can state, with $refs resolved and `[X, null]` unions unwrapped. */
function constraints(schema: Json | undefined): Json {
  let s: Json = schema ?? {};
  while (s.$ref) s = { ...(pointer(s.$ref) as Json), ...Object.fromEntries(Object.entries(s).filter(([k]) => k !== '$ref')) };
  const out: Json = {};
  const t = s.type;
  if (t !== undefined) out.type = t;
  for (const k of ['enum', 'minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems', 'format', 'default']) if (s[k] !== undefined) out[k] = s[k];
  if (s.properties) {
    out.required = [...(s.required ?? [])].sort();
    out.properties = Object.fromEntries(Object.entries(s.properties as Json).map(([k, v]) => [k, constraints(v as Json)]));
  }
  if (s.items) out.items = constraints(s.items);
  if (s.additionalProperties === false) out.closed = true;
  return out;
}

describe('OpenAPI document agrees with the zod schemas of message-schemas.ts', () => {
  const zodJson = (s: z.ZodType) => constraints(z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Json);
  const body = (id: string) => constraints(opById(id).requestBody.content['application/json'].schema);

  it('when POST /v1/messages is compared, then field names, limits and enums match sendSchema, and of a chain send chainSendSchema', () => {
    const [plain, chain] = opById('sendMessage').requestBody.content['application/json'].schema.anyOf as Json[];
    expect(constraints(plain)).toEqual(zodJson(sendSchema));
    expect(constraints(chain)).toEqual(zodJson(chainSendSchema));
  });

  it('when POST /v1/messages/batch is compared, then field names, limits and enums match batchSchema', () => {
    expect(body('sendBatch')).toEqual(zodJson(batchSchema));
  });

  it('when GET /v1/messages is compared, then its query parameters match listQuerySchema', () => {
    const params = Object.fromEntries((opById('listMessages').parameters as Json[]).filter((p) => p.in === 'query').map((p) => [p.name, constraints(p.schema)]));
    expect(params).toEqual(zodJson(listQuerySchema).properties);
  });

  it('when the sender ID bodies are compared, then field names, limits and enums match sender-ids.routes.ts', () => {
    expect(body('createSenderId')).toEqual(zodJson(createSenderIdSchema));
    expect(body('updateSenderId')).toEqual(zodJson(updateSenderIdSchema));
    expect(body('rejectSenderId')).toEqual(zodJson(rejectSchema));
    const params = Object.fromEntries((opById('reviewSenderIds').parameters as Json[]).filter((p) => p.in === 'query').map((p) => [p.name, constraints(p.schema)]));
    expect(params).toEqual(zodJson(reviewQuery).properties);
  });

  it('when POST /v1/links is compared, then field names, limits and enums match createLinkSchema', () => {
    expect(body('createLink')).toEqual(zodJson(createLinkSchema));
  });

  it('when the documented request examples are parsed by the route schemas, then they are valid', () => {
    // A send's example is valid as a plain send or as one down a channel chain, the two bodies the route takes.
    const sendBody = z.union([sendSchema, chainSendSchema]);
    const cases: [string, z.ZodType][] = [['sendMessage', sendBody], ['sendBatch', batchSchema], ['createSenderId', createSenderIdSchema], ['updateSenderId', updateSenderIdSchema], ['rejectSenderId', rejectSchema], ['sendWhatsApp', sendWhatsAppSchema], ['createLink', createLinkSchema]];
    for (const [id, schema] of cases) {
      for (const [name, ex] of Object.entries(opById(id).requestBody.content['application/json'].examples as Json)) {
        expect(schema.safeParse((ex as Json).value).success, `${id} example ${name}`).toBe(true);
      }
    }
  });
});

describe('error codes are documented', () => {
  const files = srcFiles('src').filter((f) => !f.includes('openapi'));
  const code = files.map(read).join('\n');

  it('when src throws an AppError with a literal code, then the catalogue has that code with the same status', () => {
    const thrown = [...code.matchAll(/new AppError\(\s*(\d{3}),\s*'([A-Z_]+)'/g)].map((m) => ({ code: m[2], status: Number(m[1]) }));
    expect(thrown.length).toBeGreaterThan(20);
    for (const t of thrown) expect({ code: t.code, status: ERROR_CODES[t.code as keyof typeof ERROR_CODES]?.status }).toEqual(t);
  });

  it('when src uses a CODE_LIKE literal in the send, policy, content, receipt or http code, then the catalogue lists it', () => {
    const dirs = ['src/http', 'src/messages', 'src/policy', 'src/content', 'src/receipts', 'src/billing', 'src/queues'];
    const literals = new Set(files.filter((f) => dirs.some((d) => f.startsWith(d)))
      .flatMap((f) => [...read(f).matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)].map((m) => m[1])));
    expect([...literals].filter((c) => !(c in ERROR_CODES))).toEqual([]);
  });

  it('when a catalogued code is not a literal in src, then it is one that src builds from a prefix', () => {
    const dynamic = /^(BLACKLIST|DLR)_/;
    expect(Object.keys(ERROR_CODES).filter((c) => !code.includes(`'${c}'`) && !dynamic.test(c))).toEqual([]);
  });

  it('when the SMPP adapter uses an SMPP_* code, then the upstream code list has it', () => {
    const used = new Set([...code.matchAll(/'(SMPP_[A-Z_]+)'/g)].map((m) => m[1]));
    expect([...used].filter((c) => !(c in UPSTREAM_CODES))).toEqual([]);
  });

  it('when docs/api.md is read, then its error table lists every catalogued code', () => {
    const md = read('docs/api.md');
    expect(Object.keys(ERROR_CODES).filter((c) => !md.includes(`\`${c}\``))).toEqual([]);
  });
});
