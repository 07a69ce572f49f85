/**
 * Sends with channel chains driven into chosen states through the real FallbackRepository moves
 * (insert, claim, recordSent, recordStatus, succeed, moveOn), as the engine would, without any
 * channel: report tests then count what they made. No engine may run on the same database (its
 * sweeper would pick the steps up).
 */
import type { Category } from '../../src/accounts/account.js';
import type { ChannelName, StepStatus } from '../../src/fallback/fallback-channel.js';
import type { FallbackRepository, MoveReason } from '../../src/fallback/fallback.repository.js';

/** What happens to one step, in chain order; the script stops at the first step that is not decided. */
export type StepScript =
  | { do: 'succeed'; status: StepStatus; later?: StepStatus }
  | { do: 'move'; reason: MoveReason; code: string | null; sent?: StepStatus; status?: StepStatus }
  | { do: 'wait'; status: StepStatus }
  | { do: 'claim' };

export interface SeedSend {
  id: string;
  accountId: string;
  campaignId: string | null;
  category: Category;
  createdAt: Date;
  chain: ChannelName[];
  /** Fewer entries than the chain: later steps stay pending (or skipped after a success). */
  script: StepScript[];
}

const MINUTE = 60_000;

export async function seedSend(repo: FallbackRepository, s: SeedSend): Promise<void> {
  const at = (n: number) => new Date(s.createdAt.getTime() + n * MINUTE);
  await repo.insert([{
    id: s.id, accountId: s.accountId, to: '+8613800138000', category: s.category, content: { text: 'hello' },
    chain: s.chain.map((channel) => ({ channel, condition: 'delivered', timeoutSeconds: 300 })),
    reference: null, callbackUrl: null, campaignId: s.campaignId,
  }], s.createdAt, 60_000);
  for (const [idx, step] of s.script.entries()) {
    const key = { sendId: s.id, idx };
    const [claimed] = await repo.claim([key], at(idx), 60_000);
    if (!claimed) throw new Error(`seed: step ${idx} of ${s.id} could not be claimed`);
    if (step.do === 'claim') return;
    const sent = step.do === 'wait' ? step.status : step.do === 'succeed' ? 'accepted' : step.sent;
    if (sent) {
      await repo.recordSent([{ ...key, claimId: claimed.claimId!, channelMessageId: `cm_${s.id}_${idx}`, rendering: 'text', payload: null, status: sent, at: at(idx), dueAt: at(idx + 5) }]);
    }
    if (step.do === 'wait') return;
    if (step.do === 'succeed') {
      await repo.succeed([{ ...key, status: step.status, at: at(idx) }]);
      if (step.later) await repo.applyStatuses([{ ...key, status: step.later, at: at(idx + 1), channelMessageId: `cm_${s.id}_${idx}` }]);
      return;
    }
    await repo.moveOn([{ ...key, reason: step.reason, code: step.code, detail: null, status: step.status ?? null }], at(idx), 1_000);
  }
}
