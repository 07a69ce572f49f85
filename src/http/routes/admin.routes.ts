/** Operator routes, behind the admin key: accounts, reviews, channels, pools, lists, portability. */
import { Router } from 'express';
import { z } from 'zod';
import { CATEGORIES, CHARGING_MODES } from '../../accounts/account.js';
import type { AccountRepository } from '../../accounts/account.repository.js';
import type { SignatureRepository } from '../../accounts/signature.repository.js';
import type { TemplateRepository } from '../../messages/template.repository.js';
import type { ChannelRepository } from '../../routing/channel.repository.js';
import type { BlacklistService } from '../../policy/blacklist.service.js';
import type { PortabilityRepository } from '../../numbers/portability.repository.js';
import { CARRIERS } from '../../numbers/china-carrier.js';
import { AppError, notFound } from '../app-error.js';
import { e164OrThrow } from './account.routes.js';
import { accountSettingsSchema } from '../../accounts/account-settings.schema.js';

export interface AdminRouteDeps {
  accounts: AccountRepository;
  signatures: SignatureRepository;
  templates: TemplateRepository;
  channels: ChannelRepository;
  blacklist: BlacklistService;
  portability: PortabilityRepository;
  /** The bundled SMSC simulator when this process runs it. */
  simulator: () => { injectMo(from: string, to: string, text: string): Promise<void> } | undefined;
  /** Called after a change that cached readers must see at once. */
  onChange: (what: 'accounts' | 'channels') => Promise<void> | void;
}

const cidr = z.string().regex(/^[0-9a-fA-F:.]+(\/\d{1,3})?$/, 'an IP address or CIDR such as 10.0.0.0/8');
const accountFields = {
  name: z.string().min(1).max(100),
  ipAllowlist: z.array(cidr).max(100).optional(),
  categories: z.array(z.enum(CATEGORIES)).min(1).optional(),
  billingType: z.enum(['prepaid', 'postpaid']).optional(),
  chargingMode: z.enum(CHARGING_MODES).optional(),
  pricePerPartMillis: z.number().int().min(0).max(100_000).optional(),
  callbackUrl: z.url({ protocol: /^https?$/ }).nullable().optional(),
  callbackRatePerS: z.number().int().min(1).max(100_000).optional(),
  reportMode: z.enum(['push', 'pull']).optional(),
  extension: z.string().regex(/^\d{1,12}$/, '1–12 digits').nullable().optional(),
  settings: accountSettingsSchema.optional(),
};
const createAccountSchema = z.object(accountFields).strict();
const updateAccountSchema = z.object({ ...accountFields, name: accountFields.name.optional(), status: z.enum(['active', 'suspended']).optional() }).strict();
const topUpSchema = z.object({ amountMillis: z.number().int().positive(), reason: z.string().max(200).default('top-up') }).strict();
const reviewSchema = z.object({ status: z.enum(['approved', 'rejected']), reason: z.string().max(500).optional() }).strict();
const channelSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and dashes'),
  name: z.string().min(1).max(100),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  systemId: z.string().min(1).max(16),
  password: z.string().max(9),
  systemType: z.string().max(13).optional(),
  sourceAddress: z.string().max(20).optional(),
  windowSize: z.number().int().min(1).max(1000).optional(),
  submitsPerSecond: z.number().int().min(1).max(100_000).optional(),
  carriers: z.array(z.enum(CARRIERS)).optional(),
  countries: z.array(z.string().length(2)).optional(),
  enabled: z.boolean().optional(),
}).strict();
const poolSchema = z.object({
  channels: z.array(z.object({ channelId: z.string(), weight: z.number().int().min(0).max(10_000), role: z.enum(['primary', 'backup']).default('primary') }).strict()).min(1),
}).strict();
const listSchema = z.object({ group: z.string().regex(/^[a-z_]{1,40}$/), numbers: z.array(z.string()).min(1).max(10_000), level: z.enum(['high', 'low']).default('low'), source: z.enum(['channel_complaint', 'customer', 'operator']).default('operator') }).strict();
const whitelistSchema = z.object({ accountId: z.string().optional(), numbers: z.array(z.string()).min(1).max(10_000) }).strict();
const simulatorMoSchema = z.object({ from: z.string().min(3).max(32), to: z.string().regex(/^\d{1,21}$/, 'digits: access code + extension'), text: z.string().min(1).max(1000) }).strict();
const portabilitySchema = z.object({ number: z.string(), currentCarrier: z.enum(CARRIERS) }).strict();

export function adminRouter(deps: AdminRouteDeps): Router {
  const r = Router();

  r.post('/v1/admin/accounts', async (req, res) => {
    const body = createAccountSchema.parse(req.body);
    await assertExtensionFree(deps, body.extension);
    const { account, apiKey } = await deps.accounts.create(body);
    // Settings given at creation (report mode, resend cap) must hold for its first messages.
    await deps.onChange('accounts');
    res.status(201).json({ account, apiKey, note: 'The API key is shown once; store it now.' });
  });
  r.get('/v1/admin/accounts/:id', async (req, res) => {
    const a = await deps.accounts.findById(String(req.params.id));
    if (!a) throw notFound(`Account ${req.params.id}`);
    res.json(a);
  });
  r.patch('/v1/admin/accounts/:id', async (req, res) => {
    const body = updateAccountSchema.parse(req.body);
    await assertExtensionFree(deps, body.extension, String(req.params.id));
    const a = await deps.accounts.update(String(req.params.id), body);
    if (!a) throw notFound(`Account ${req.params.id}`);
    await deps.onChange('accounts');
    res.json(a);
  });
  r.post('/v1/admin/accounts/:id/topup', async (req, res) => {
    const body = topUpSchema.parse(req.body);
    if (!(await deps.accounts.findById(String(req.params.id)))) throw notFound(`Account ${req.params.id}`);
    const balanceMillis = await deps.accounts.topUp(String(req.params.id), body.amountMillis, body.reason);
    await deps.onChange('accounts');
    res.json({ balanceMillis });
  });
  r.post('/v1/admin/accounts/:id/keys', async (req, res) => {
    if (!(await deps.accounts.findById(String(req.params.id)))) throw notFound(`Account ${req.params.id}`);
    const apiKey = await deps.accounts.rotateKey(String(req.params.id));
    await deps.onChange('accounts');
    res.status(201).json({ apiKey, note: 'Previous keys are revoked. The new key is shown once.' });
  });

  r.put('/v1/admin/accounts/:id/signatures/:name', async (req, res) => {
    const body = reviewSchema.parse(req.body);
    const s = await deps.signatures.setStatus(String(req.params.id), String(req.params.name), body.status);
    if (!s) throw notFound(`Signature ${req.params.name}`);
    res.json(s);
  });
  r.post('/v1/admin/templates/:id/review', async (req, res) => {
    const body = reviewSchema.parse(req.body);
    if (body.status === 'rejected' && !body.reason) throw new AppError(400, 'REASON_REQUIRED', 'A rejection needs a reason', 'reason');
    const t = await deps.templates.review(String(req.params.id), body.status, body.reason ?? null);
    if (!t) throw notFound(`Template ${req.params.id}`);
    res.json(t);
  });

  r.put('/v1/admin/channels/:id', async (req, res) => {
    const body = channelSchema.parse({ ...req.body, id: req.params.id });
    const c = await deps.channels.upsert(body);
    await deps.onChange('channels');
    res.json({ ...c, password: '***' });
  });
  r.get('/v1/admin/channels', async (_req, res) => {
    res.json({ data: (await deps.channels.list()).map((c) => ({ ...c, password: '***' })) });
  });
  r.put('/v1/admin/accounts/:id/pools/:category', async (req, res) => {
    const category = z.enum(CATEGORIES).safeParse(req.params.category);
    if (!category.success) throw new AppError(400, 'VALIDATION_FAILED', `category must be one of ${CATEGORIES.join(', ')}`, 'category');
    if (!(await deps.accounts.findById(String(req.params.id)))) throw notFound(`Account ${req.params.id}`);
    const body = poolSchema.parse(req.body);
    const known = new Set((await deps.channels.list()).map((c) => c.id));
    body.channels.forEach((c, i) => {
      if (!known.has(c.channelId)) throw new AppError(400, 'UNKNOWN_CHANNEL', `Channel ${c.channelId} does not exist`, `channels.${i}.channelId`);
    });
    await deps.channels.setPool(String(req.params.id), category.data, body.channels);
    res.json({ accountId: req.params.id, category: category.data, channels: body.channels });
  });

  r.post('/v1/admin/blacklist', async (req, res) => {
    const body = listSchema.parse(req.body);
    const e164s = body.numbers.map((n, i) => e164OrThrow(n, `numbers.${i}`));
    await deps.blacklist.addGlobal(body.group, e164s, body.level, body.source);
    res.status(201).json({ group: body.group, added: e164s.length });
  });
  r.delete('/v1/admin/blacklist/:group/:number', async (req, res) => {
    await deps.blacklist.removeGlobal(String(req.params.group), e164OrThrow(String(req.params.number), 'number'));
    res.status(204).end();
  });
  r.post('/v1/admin/whitelist', async (req, res) => {
    const body = whitelistSchema.parse(req.body);
    const e164s = body.numbers.map((n, i) => e164OrThrow(n, `numbers.${i}`));
    await deps.blacklist.whitelistAdd(body.accountId, e164s);
    res.status(201).json({ added: e164s.length });
  });
  r.post('/v1/admin/simulator/mo', async (req, res) => {
    const body = simulatorMoSchema.parse(req.body);
    const sim = deps.simulator();
    if (!sim) throw new AppError(409, 'SIMULATOR_NOT_RUNNING', 'This process does not run the SMSC simulator (ROLES has no simulator)');
    await sim.injectMo(e164OrThrow(body.from, 'from').slice(1), body.to, body.text);
    res.status(202).json({ injected: true });
  });

  r.put('/v1/admin/portability', async (req, res) => {
    const body = portabilitySchema.parse(req.body);
    res.json(await deps.portability.set(e164OrThrow(body.number, 'number'), body.currentCarrier));
  });

  return r;
}

/** Extensions route MO replies back to one account, so two accounts may never share one. */
async function assertExtensionFree(deps: AdminRouteDeps, extension: string | null | undefined, selfId?: string): Promise<void> {
  if (!extension) return;
  const owner = await deps.accounts.findByExtension(extension);
  if (owner && owner.id !== selfId) throw new AppError(409, 'EXTENSION_TAKEN', `Extension ${extension} already belongs to another account`, 'extension');
}
