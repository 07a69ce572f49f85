/**
 * Chatbots: registration info and persistent menu (validated), the carrier-style review
 * (draft → submitted → approved | rejected with a reason; a rejected chatbot is edited and
 * submitted again; only approved chatbots send), and an in-memory copy of each account's sending
 * chatbot — the first approved one (earliest approval) — for code that may not do I/O
 * (FallbackChannel.render). The copy is refreshed on every decision in this process, by
 * `refreshApproved` (periodically, and per account before a fallback step's capability check).
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { AppError, notFound } from '../../http/app-error.js';
import { fromZod } from '../../http/error-handler.js';
import { newId } from '../../ids.js';
import { validateMenu, type ChatbotMenu } from './chatbot-menu.js';
import { ChatbotRepository, type Chatbot, type ChatbotMove, type ChatbotProfile, type ChatbotStatus } from './chatbot.repository.js';

export const CHATBOT_TRANSITIONS = {
  edit: ['draft', 'rejected'],
  submit: ['draft', 'rejected'],
  delete: ['draft', 'rejected'],
  approve: ['submitted'],
  reject: ['submitted'],
} as const satisfies Record<string, readonly ChatbotStatus[]>;
export type ChatbotAction = keyof typeof CHATBOT_TRANSITIONS;

export const chatbotProfileSchema = z.object({
  name: z.string().trim().min(1).max(40).describe('Shown as the conversation title.'),
  logoUrl: z.url({ protocol: /^https?$/ }).max(2048).describe('Square logo image (carriers ask for ≥ 400×400 px).'),
  description: z.string().trim().min(1).max(500),
  colour: z.string().regex(/^#[0-9A-Fa-f]{6}$/).describe('Theme colour, #RRGGBB.'),
  callbackNumber: z.string().regex(/^\+?[0-9][0-9-]{2,19}$/).describe('The customer-service number shown on the chatbot\'s page.'),
  website: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  category: z.string().trim().min(1).max(50).describe('Industry, e.g. retail, logistics, banking.'),
});

export const chatbotInputSchema = chatbotProfileSchema.extend({
  menu: z.array(z.unknown()).optional().describe('Persistent menu: ≤ 3 top entries, each a button or {text, submenu: [≤ 5 buttons]}; labels 1–25 characters.'),
}).strict();

export type ChatbotInput = z.input<typeof chatbotInputSchema>;

export interface ChatbotServiceOptions {
  repo: ChatbotRepository;
  /** Domain of generated chatbot addresses (sip:<12 digits>@<domain>) until the carrier assigns one on approval. */
  addressDomain: string;
}

export class ChatbotService {
  private readonly sending = new Map<string, Chatbot>();

  constructor(private readonly opts: ChatbotServiceOptions) {}

  get repo(): ChatbotRepository {
    return this.opts.repo;
  }

  async create(accountId: string, input: unknown): Promise<Chatbot> {
    const { profile, menu } = parseInput(input);
    const address = `sip:${String(randomInt(1e11, 1e12))}@${this.opts.addressDomain}`;
    return this.opts.repo.create({ id: newId('rcb'), accountId, address, profile, menu, by: accountActor(accountId) });
  }

  async replace(accountId: string, id: string, input: unknown): Promise<Chatbot> {
    const { profile, menu } = parseInput(input);
    return outcome(await this.opts.repo.replace(accountId, id, profile, menu, CHATBOT_TRANSITIONS.edit, accountActor(accountId)), id, 'edit');
  }

  /** Replaces only the menu (a draft or rejected chatbot: the menu is reviewed with the rest). */
  async setMenu(accountId: string, id: string, menu: unknown): Promise<Chatbot> {
    const c = await this.get(accountId, id);
    return outcome(await this.opts.repo.replace(accountId, id, profileOf(c), validateMenu(menu), CHATBOT_TRANSITIONS.edit, accountActor(accountId)), id, 'edit');
  }

  async get(accountId: string, id: string): Promise<Chatbot> {
    const c = await this.opts.repo.get(accountId, id);
    if (!c) throw notFound(`Chatbot ${id}`);
    return c;
  }

  list(accountId: string, f: { status?: ChatbotStatus; limit: number }): Promise<Chatbot[]> {
    return this.opts.repo.list(accountId, f);
  }

  async submit(accountId: string, id: string): Promise<Chatbot> {
    return outcome(await this.opts.repo.submit(accountId, id, CHATBOT_TRANSITIONS.submit, accountActor(accountId)), id, 'submit');
  }

  async delete(accountId: string, id: string): Promise<Chatbot> {
    return outcome(await this.opts.repo.delete(accountId, id, CHATBOT_TRANSITIONS.delete), id, 'delete');
  }

  async approve(id: string, operator?: string, address?: string): Promise<Chatbot> {
    if (address && (await this.opts.repo.findByAddress(address))) {
      throw new AppError(409, 'RCS_CHATBOT_ADDRESS_TAKEN', `Another chatbot already has the address ${address}`, 'address');
    }
    const c = outcome(await this.opts.repo.decide(id, 'approved', null, CHATBOT_TRANSITIONS.approve, operatorActor(operator), address), id, 'approve');
    await this.refreshApproved(c.accountId);
    return c;
  }

  async reject(id: string, reason: string, operator?: string): Promise<Chatbot> {
    return outcome(await this.opts.repo.decide(id, 'rejected', reason, CHATBOT_TRANSITIONS.reject, operatorActor(operator)), id, 'reject');
  }

  review(f: { status?: ChatbotStatus; accountId?: string; limit: number }): Promise<Chatbot[]> {
    return this.opts.repo.review(f);
  }

  async findForReview(id: string): Promise<Chatbot> {
    const c = await this.opts.repo.findById(id);
    if (!c) throw notFound(`Chatbot ${id}`);
    return c;
  }

  /** The chatbot a send uses: the one asked for (approved, of this account), else the account's first approved. */
  async sender(accountId: string, chatbotId?: string): Promise<Chatbot> {
    if (chatbotId) {
      const c = await this.get(accountId, chatbotId);
      if (c.status !== 'approved') throw new AppError(409, 'RCS_CHATBOT_NOT_APPROVED', `Chatbot ${chatbotId} is ${c.status}; only approved chatbots send (submit it for review)`, 'chatbotId', { status: c.status });
      return c;
    }
    const [first] = await this.opts.repo.approved(accountId);
    if (!first) throw noChatbot();
    return first;
  }

  /** The in-memory copy of the account's sending chatbot (no I/O). */
  cachedSender(accountId: string): Chatbot | undefined {
    return this.sending.get(accountId);
  }

  /** Reloads the sending chatbot of one account, or of every account. */
  async refreshApproved(accountId?: string): Promise<void> {
    const approved = await this.opts.repo.approved(accountId);
    if (accountId) this.sending.delete(accountId);
    else this.sending.clear();
    for (const c of approved) if (!this.sending.has(c.accountId)) this.sending.set(c.accountId, c);
  }
}

export const noChatbot = () => new AppError(409, 'RCS_NO_CHATBOT', 'This account has no approved chatbot: create one (POST /v1/rcs/chatbots), submit it and wait for approval', 'chatbotId');

function parseInput(input: unknown): { profile: ChatbotProfile; menu: ChatbotMenu } {
  const parsed = chatbotInputSchema.safeParse(input ?? {});
  if (!parsed.success) throw fromZod(parsed.error);
  const { menu, website, ...rest } = parsed.data;
  return { profile: { ...rest, website: website ?? null }, menu: validateMenu(menu ?? []) };
}

const profileOf = (c: Chatbot): ChatbotProfile => ({
  name: c.name, logoUrl: c.logoUrl, description: c.description, colour: c.colour, callbackNumber: c.callbackNumber, website: c.website, category: c.category,
});

const PAST: Record<ChatbotAction, string> = { edit: 'edited', submit: 'submitted', delete: 'deleted', approve: 'approved', reject: 'rejected' };
const accountActor = (accountId: string) => `account:${accountId}`;
const operatorActor = (operator?: string) => (operator ? `operator:${operator}` : 'operator');

function outcome(moved: ChatbotMove, id: string, action: ChatbotAction): Chatbot {
  switch (moved.kind) {
    case 'ok': return moved.chatbot;
    case 'not_found': throw notFound(`Chatbot ${id}`);
    case 'conflict': {
      const from = CHATBOT_TRANSITIONS[action];
      throw new AppError(409, 'RCS_CHATBOT_INVALID_TRANSITION', `Chatbot ${id} is ${moved.status}; only ${from.join(' or ')} chatbots can be ${PAST[action]}`, 'status', { status: moved.status, allowedFrom: from });
    }
  }
}
