/**
 * Operator routes for customers' SMPP credentials. The password is shown once, when it is set; only
 * its scrypt hash is stored.
 */
import { Router } from 'express';
import { z } from 'zod';
import { CATEGORIES } from '../../accounts/account.js';
import type { AccountRepository } from '../../accounts/account.repository.js';
import type { SmppCredentialsRepository } from '../../smpp-server/smpp-credentials.repository.js';
import { MAX_SMPP_PASSWORD_LENGTH, generateSmppPassword, hashSmppPassword } from '../../smpp-server/smpp-password.js';
import { AppError, notFound } from '../app-error.js';

export interface SmppCredentialsRouteDeps {
  accounts: AccountRepository;
  credentials: SmppCredentialsRepository;
}

/** SMPP 3.4: system_id is at most 15 characters (16 octets with the NUL). */
export const systemIdSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,15}$/, '1–15 letters, digits, _ . or -');
const credentialsSchema = z.object({
  password: z.string().regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces').max(MAX_SMPP_PASSWORD_LENGTH).optional(),
  maxBinds: z.number().int().min(1).max(64).default(4),
  submitsPerSecond: z.number().int().min(1).max(100_000).default(1000),
  defaultCategory: z.enum(CATEGORIES).default('notification'),
  moViaSmpp: z.boolean().default(true),
}).strict();

export function smppCredentialsRouter(deps: SmppCredentialsRouteDeps): Router {
  const r = Router();

  r.put('/v1/admin/accounts/:id/smpp-credentials/:systemId', async (req, res) => {
    const systemId = systemIdSchema.parse(req.params.systemId);
    const body = credentialsSchema.parse(req.body ?? {});
    const account = await deps.accounts.findById(String(req.params.id));
    if (!account) throw notFound(`Account ${req.params.id}`);
    const password = body.password ?? generateSmppPassword();
    const saved = await deps.credentials.upsert(account.id, { systemId, ...body }, await hashSmppPassword(password));
    if (!saved) throw new AppError(409, 'SYSTEM_ID_TAKEN', `system_id ${systemId} belongs to another account; system ids are global`, 'systemId');
    // Shown once: a generated password is the only copy the customer will get.
    res.json({ credentials: saved, ...(body.password === undefined ? { password } : {}) });
  });

  r.get('/v1/admin/accounts/:id/smpp-credentials', async (req, res) => {
    const account = await deps.accounts.findById(String(req.params.id));
    if (!account) throw notFound(`Account ${req.params.id}`);
    res.json({ data: await deps.credentials.listForAccount(account.id) });
  });

  r.delete('/v1/admin/accounts/:id/smpp-credentials/:systemId', async (req, res) => {
    if (!(await deps.credentials.remove(String(req.params.id), String(req.params.systemId)))) {
      throw notFound(`SMPP credentials ${req.params.systemId}`);
    }
    res.status(204).end();
  });

  return r;
}

/** The account's own view: which system ids it may bind with (never passwords). */
export function accountSmppCredentialsRouter(deps: Pick<SmppCredentialsRouteDeps, 'credentials'>): Router {
  const r = Router();
  r.get('/v1/smpp-credentials', async (req, res) => {
    res.json({ data: await deps.credentials.listForAccount(req.account!.id) });
  });
  return r;
}
