/**
 * A send with a channel chain: what the customer gave (content once, the chain of steps) and how it
 * is referred to. The send's id is an ordinary message id (`msg_…`): the customer reads it with
 * GET /v1/messages/:id like any other message. Each step is one channel's attempt at it; its
 * reference (`fbs_<send id>:<step>`) travels with the channel's own message and comes back with
 * every status.
 */
import { z } from 'zod';
import type { Category } from '../accounts/account.js';
import { CHANNEL_NAMES, STEP_CONDITIONS, type ChannelName, type FallbackContent, type StepCondition } from './fallback-channel.js';

/** PROTOCOLS.md: commercial failover APIs allow 30–3,600 s and default to 300 s. */
export const DEFAULT_STEP_TIMEOUT_SECONDS = 300;
export const MIN_STEP_TIMEOUT_SECONDS = 1;
export const MAX_STEP_TIMEOUT_SECONDS = 3_600;
export const MAX_CHAIN_STEPS = 5;

const stepObject = z.strictObject({
  channel: z.enum(CHANNEL_NAMES),
  condition: z.enum(STEP_CONDITIONS).optional(),
  timeoutSeconds: z.number().int().min(MIN_STEP_TIMEOUT_SECONDS).max(MAX_STEP_TIMEOUT_SECONDS).optional(),
});

/** A chain as the API takes it: channel names, or objects with a condition and a timeout. */
export const chainSchema = z
  .array(z.union([z.enum(CHANNEL_NAMES), stepObject]))
  .min(1)
  .max(MAX_CHAIN_STEPS)
  .superRefine((steps, ctx) => {
    const seen = new Set<string>();
    steps.forEach((s, i) => {
      const name = typeof s === 'string' ? s : s.channel;
      // The engine never sends the same step twice; naming a channel twice would do just that.
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [i], message: `channel ${name} appears twice in the chain` });
      seen.add(name);
    });
  });
export type ChainInput = z.infer<typeof chainSchema>;

export interface ChainStep {
  channel: ChannelName;
  condition: StepCondition;
  timeoutSeconds: number;
}

/** A send to store: one recipient, the resolved content, the chain with every default filled in. */
export interface NewFallbackSend {
  id: string;
  accountId: string;
  to: string;
  category: Category;
  content: FallbackContent;
  chain: ChainStep[];
  reference: string | null;
  callbackUrl: string | null;
  campaignId: string | null;
}

export const STEP_REF_PREFIX = 'fbs_';

export function stepRefOf(sendId: string, idx: number): string {
  return `${STEP_REF_PREFIX}${sendId}:${idx}`;
}

export function parseStepRef(ref: string | null | undefined): { sendId: string; idx: number } | undefined {
  if (!ref?.startsWith(STEP_REF_PREFIX)) return undefined;
  const colon = ref.lastIndexOf(':');
  const idx = Number(ref.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(idx) || idx < 0) return undefined;
  return { sendId: ref.slice(STEP_REF_PREFIX.length, colon), idx };
}
