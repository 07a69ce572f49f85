/** Customer self-service: the account itself, its signatures, templates and own blacklist group. */
import { Router } from 'express';
import { z } from 'zod';
import { CATEGORIES } from '../../accounts/account.js';
import type { AccountRepository } from '../../accounts/account.repository.js';
import type { SignatureRepository } from '../../accounts/signature.repository.js';
import type { TemplateRepository } from '../../messages/template.repository.js';
import { compileTemplate, TemplateSyntaxError } from '../../content/template-render.js';
import type { BlacklistService } from '../../policy/blacklist.service.js';
import { parsePhoneNumber } from '../../numbers/phone-number.js';
import { AppError, notFound } from '../app-error.js';

export interface AccountRouteDeps {
  accounts: AccountRepository;
  signatures: SignatureRepository;
  templates: TemplateRepository;
  blacklist: BlacklistService;
}

const signatureSchema = z.object({ name: z.string().min(2).max(8).regex(/^[^【】\s]+$/, 'no brackets or spaces'), extension: z.string().regex(/^\d{1,12}$/).optional() }).strict();
const templateSchema = z.object({ name: z.string().min(1).max(100), body: z.string().min(1).max(1000), category: z.enum(CATEGORIES) }).strict();
const numbersSchema = z.object({ numbers: z.array(z.string().max(32)).min(1).max(10_000) }).strict();

export function e164OrThrow(input: string, field: string): string {
  const p = parsePhoneNumber(input);
  if (!p.ok) throw new AppError(400, p.code, `${field}: ${p.message}`, field);
  return p.e164;
}

export function accountRouter(deps: AccountRouteDeps): Router {
  const r = Router();

  r.get('/v1/account', async (req, res) => {
    // Read fresh: the authenticated copy is cached and its balance may be seconds old.
    const a = (await deps.accounts.findById(req.account!.id))!;
    res.json({
      id: a.id, name: a.name, categories: a.categories, billingType: a.billingType, chargingMode: a.chargingMode,
      balanceMillis: a.balanceMillis, pricePerPartMillis: a.pricePerPartMillis, callbackUrl: a.callbackUrl, callbackSecret: a.callbackSecret,
      callbackRatePerS: a.callbackRatePerS, reportMode: a.reportMode, extension: a.extension, ipAllowlist: a.ipAllowlist, settings: a.settings,
    });
  });

  r.post('/v1/signatures', async (req, res) => {
    const body = signatureSchema.parse(req.body);
    res.status(201).json(await deps.signatures.register(req.account!.id, body.name, body.extension ?? null));
  });
  r.get('/v1/signatures', async (req, res) => res.json({ data: await deps.signatures.list(req.account!.id) }));

  r.post('/v1/templates', async (req, res) => {
    const body = templateSchema.parse(req.body);
    let variables: string[];
    try {
      variables = compileTemplate(body.body).variables;
    } catch (err) {
      if (err instanceof TemplateSyntaxError) throw new AppError(400, 'TEMPLATE_SYNTAX', err.message, 'body');
      throw err;
    }
    res.status(201).json(await deps.templates.create(req.account!.id, { ...body, variables }));
  });
  r.get('/v1/templates', async (req, res) => res.json({ data: await deps.templates.list(req.account!.id) }));
  r.get('/v1/templates/:id', async (req, res) => {
    const t = await deps.templates.get(req.account!.id, String(req.params.id));
    if (!t) throw notFound(`Template ${req.params.id}`);
    res.json(t);
  });

  // The account's own do-not-send list (its unsubscribe group), which it may add to and remove from.
  r.post('/v1/blacklist', async (req, res) => {
    const { numbers } = numbersSchema.parse(req.body);
    const e164s = numbers.map((n, i) => e164OrThrow(n, `numbers.${i}`));
    await deps.blacklist.addToAccount(req.account!.id, e164s, 'customer');
    res.status(201).json({ added: e164s.length });
  });
  r.delete('/v1/blacklist/:number', async (req, res) => {
    const e164 = e164OrThrow(String(req.params.number), 'number');
    await deps.blacklist.removeFromAccount(req.account!.id, e164);
    res.status(204).end();
  });

  return r;
}
