/**
 * One fallback engine for every channel. A send carries a chain of steps; the engine runs a step by
 * asking its channel whether the terminal can show the content, letting it render the richest form
 * it supports, and sending it; then it waits for the step's condition (accepted, delivered, read).
 * It moves to the next step when the terminal can't render the content, the channel refuses or
 * reports a failure, or the condition isn't met in time, and it never sends a step twice:
 * - every move is a conditional update (fallback.repository.ts), so only one process, event or
 *   sweep makes it;
 * - a step's send is claimed first; a claim whose holder died is taken over after its lease, and
 *   channels send idempotently per step reference, so the takeover never sends a second message.
 * Steps are run in batches (a campaign's thousands of recipients share each statement and each
 * capability query); status events are gathered and applied together, one round at a time.
 * Events are in-process only: one seen by another process is noticed when its step comes due (the
 * sweeper re-reads the channel message before deciding that the timeout passed).
 */
import { performance } from 'node:perf_hooks';
import { AppError } from '../http/app-error.js';
import type { Logger } from '../logging/logger.js';
import {
  sendsInBatches, type Capability, type ChannelName, type ChannelStatusEvent, type FallbackChannel, type StepCondition,
  type StepSendOutcome, type StepSendRequest, type StepStatus,
} from './fallback-channel.js';
import { DEFAULT_STEP_TIMEOUT_SECONDS, parseStepRef, stepRefOf, type ChainInput, type ChainStep, type NewFallbackSend } from './fallback-send.js';
import type { ClaimedStep, FallbackRepository, FallbackStep, Move, SentStep, StepKey } from './fallback.repository.js';

export interface FallbackEngineOptions {
  repo: FallbackRepository;
  channels: readonly FallbackChannel[];
  logger: Logger;
  now?: () => Date;
  /** How long a claimed step may take to send before another process takes it over. Default 2 min. */
  leaseMs?: number;
  /** How long a step that became ready waits before the sweeper runs it (this process normally does at once). Default 30 s. */
  graceMs?: number;
  /** Sweeper period. Default 1 s. */
  sweepIntervalMs?: number;
  /** Steps per sweep round. Default 500. */
  sweepBatch?: number;
  /** Single sends in flight per channel when a channel has no batch send. Default 32. */
  sendConcurrency?: number;
  /** Status events are gathered this long and applied in one round. Default 5 ms. */
  eventBatchMs?: number;
  /** The engine's own time per message for each batch it decides (bench and metrics). */
  onDecision?: (msPerMessage: number, messages: number) => void;
}

const STATUS_RANK: Record<StepStatus, number> = { accepted: 1, sent: 2, delivered: 3, read: 4, failed: 0, not_capable: 0 };
const CONDITION_RANK: Record<StepCondition, number> = { accepted: 1, delivered: 3, read: 4 };

const rankOf = (s: StepStatus) => (isFailure(s) ? 5 : STATUS_RANK[s]);

export function meetsCondition(status: StepStatus, condition: StepCondition): boolean {
  return STATUS_RANK[status] >= CONDITION_RANK[condition];
}

const isFailure = (s: StepStatus) => s === 'failed' || s === 'not_capable';
const isFinal = (s: StepStatus) => s === 'delivered' || s === 'read' || isFailure(s);

export class FallbackEngine {
  private readonly channels = new Map<ChannelName, FallbackChannel>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly running = new Set<Promise<unknown>>();
  private readonly now: () => Date;
  private readonly leaseMs: number;
  private readonly graceMs: number;
  private readonly log: Logger;
  private events: ChannelStatusEvent[] = [];
  private eventTimer: NodeJS.Timeout | undefined;
  private applying: Promise<void> | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = false;
  /** The engine's own time per message of recent decision rounds (GET /v1/admin/fallback/stats). */
  readonly decisions = new DecisionStats();

  constructor(private readonly opts: FallbackEngineOptions) {
    this.now = opts.now ?? (() => new Date());
    this.leaseMs = opts.leaseMs ?? 120_000;
    this.graceMs = opts.graceMs ?? 30_000;
    this.log = opts.logger.child({ component: 'fallback' });
    for (const c of opts.channels) this.register(c);
  }

  register(channel: FallbackChannel): void {
    if (this.channels.has(channel.name)) throw new Error(`fallback channel ${channel.name} is registered twice`);
    this.channels.set(channel.name, channel);
    this.unsubscribe.push(channel.onStatus((e) => this.onStatus(e)));
  }

  has(name: ChannelName): boolean {
    return this.channels.has(name);
  }

  /**
   * The chain with every default filled in. Throws AppError 400 naming the field when a channel is
   * not available here or cannot report the asked condition.
   */
  resolveChain(input: ChainInput, field = 'channels'): ChainStep[] {
    return input.map((s, i) => {
      const step = typeof s === 'string' ? { channel: s } : s;
      const channel = this.channels.get(step.channel);
      if (!channel) throw new AppError(400, 'CHANNEL_NOT_AVAILABLE', `${field}.${i}: channel ${step.channel} is not available on this platform`, `${field}.${i}`);
      const condition = step.condition ?? channel.defaultCondition;
      if (!channel.conditions.includes(condition)) {
        throw new AppError(400, 'CONDITION_NOT_SUPPORTED', `${field}.${i}.condition: ${step.channel} can report ${channel.conditions.join(', ')}, not ${condition}`, `${field}.${i}.condition`);
      }
      return { channel: step.channel, condition, timeoutSeconds: step.timeoutSeconds ?? DEFAULT_STEP_TIMEOUT_SECONDS };
    });
  }

  /**
   * Stores the sends and starts their first steps; resolves once stored (the steps run on), or with
   * `awaitSteps` once this process has run them as far as they go now: sent and waiting for their
   * condition, or finished (a caller that answers with the first channel's message). Step failures
   * are logged, not thrown: the sweeper takes them over.
   */
  async submit(sends: readonly NewFallbackSend[], opts: { awaitSteps?: boolean } = {}): Promise<void> {
    await this.opts.repo.insert(sends, this.now(), this.graceMs);
    const run = this.runSteps(sends.map((s) => ({ sendId: s.id, idx: 0 })));
    this.track(run);
    if (opts.awaitSteps) await run.catch(() => undefined);
  }

  /** Waits for everything this process has in flight (tests, benchmarks, shutdown). */
  async drain(): Promise<void> {
    for (;;) {
      await this.flushEvents();
      if (this.running.size === 0) return;
      await Promise.allSettled([...this.running]);
    }
  }

  /** Starts the sweeper: due steps, timeouts and takeovers (worker role). */
  start(): void {
    this.stopped = false;
    const tick = () => {
      this.sweeping = this.sweep()
        .then(() => undefined)
        .catch((err) => this.log.warn('fallback sweep failed', { err: err instanceof Error ? err.message : String(err) }))
        .finally(() => {
          this.sweeping = undefined;
          if (!this.stopped) this.sweepTimer = setTimeout(tick, this.opts.sweepIntervalMs ?? 1_000).unref();
        });
    };
    this.sweepTimer = setTimeout(tick, this.opts.sweepIntervalMs ?? 1_000).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.sweepTimer);
    await this.sweeping;
    await this.drain();
    for (const u of this.unsubscribe.splice(0)) u();
  }

  /** One sweep: every due step (ready steps nobody ran, lost claims, timeouts). Returns how many. */
  async sweep(): Promise<number> {
    let total = 0;
    const batch = this.opts.sweepBatch ?? 500;
    for (;;) {
      const due = await this.opts.repo.due(this.now(), batch, this.leaseMs);
      const toRun = due.filter((s) => s.state === 'pending' || s.state === 'sending')
        .map((s) => ({ sendId: s.sendId, idx: s.idx, takeOver: s.state === 'sending' ? s.claimId ?? undefined : undefined }));
      await Promise.all([this.runSteps(toRun), this.decideTimedOut(due.filter((s) => s.state === 'waiting'))]);
      total += due.length;
      if (due.length < batch || this.stopped) return total;
    }
  }

  /** Runs the given steps: claim, capability, render, send, record; then the next steps of those that moved on. */
  private async runSteps(keys: ReadonlyArray<StepKey & { takeOver?: string }>): Promise<void> {
    let batch = keys;
    while (batch.length > 0) {
      const started = performance.now();
      let channelMs = 0;
      const claimed = await this.opts.repo.claim(batch, this.now(), this.leaseMs);
      const moves: Move[] = [];
      const sent: Array<SentStep & { condition: StepCondition }> = [];
      for (const [name, steps] of groupBy(claimed, (s) => s.channel)) {
        const channel = this.channels.get(name);
        if (!channel) {
          for (const s of steps) moves.push({ ...key(s), reason: 'rejected', code: 'CHANNEL_NOT_AVAILABLE', detail: `channel ${name} is not available in this process` });
          continue;
        }
        const t0 = performance.now();
        await this.prepare(channel, steps);
        const caps = await this.capabilities(channel, steps);
        const requests: Array<{ step: ClaimedStep; req: StepSendRequest }> = [];
        const t1 = performance.now();
        for (const step of steps) {
          if (caps.get(step.sendId) === 'not_capable') {
            moves.push({ ...key(step), reason: 'not_capable', code: 'NOT_CAPABLE', detail: `the terminal cannot show ${name} messages` });
            continue;
          }
          const rendering = channel.render(step.content, { accountId: step.accountId, to: step.to, category: step.category });
          if ('refused' in rendering) {
            moves.push({ ...key(step), reason: 'not_renderable', code: rendering.refused.code, detail: rendering.refused.field ? `${rendering.refused.field}: ${rendering.refused.message}` : rendering.refused.message });
            continue;
          }
          requests.push({ step, req: { accountId: step.accountId, to: step.to, category: step.category, stepRef: stepRefOf(step.sendId, step.idx), rendering } });
        }
        const t2 = performance.now();
        const outcomes = await this.sendAll(channel, requests.map((r) => r.req));
        channelMs += t1 - t0 + (performance.now() - t2);
        const at = this.now();
        requests.forEach(({ step, req }, i) => {
          const out = outcomes[i];
          if (out === undefined) return; // infrastructure trouble: the claim stays, the sweeper takes over
          if (!out.ok) {
            moves.push({ ...key(step), reason: out.reason, code: out.code, detail: out.message, channelMessageId: out.channelMessageId ?? null, status: out.reason === 'not_capable' ? 'not_capable' : 'failed' });
            return;
          }
          sent.push({
            ...key(step), claimId: step.claimId!, channelMessageId: out.channelMessageId, rendering: req.rendering.kind, payload: req.rendering.payload,
            status: out.status ?? 'accepted', at, dueAt: new Date(at.getTime() + step.timeoutSeconds * 1000), condition: step.condition,
          });
        });
      }
      // Only steps still held under this round's claim are recorded (one taken over is not ours to
      // decide); their status is the send's or a later one that came in meanwhile, and decides.
      const condition = new Map(sent.map((s) => [keyString(s), s.condition]));
      const met: Array<StepKey & { status: StepStatus; at: Date }> = [];
      for (const r of await this.opts.repo.recordSent(sent)) {
        if (meetsCondition(r.status, condition.get(keyString(r))!)) met.push({ ...key(r), status: r.status, at: r.statusAt });
        else if (isFailure(r.status)) moves.push({ ...key(r), reason: r.status === 'not_capable' ? 'not_capable' : 'failed', code: r.status.toUpperCase(), detail: null });
      }
      const next = await this.decide(met, moves);
      const ms = performance.now() - started - channelMs;
      if (claimed.length) this.decided(ms / claimed.length, claimed.length);
      batch = next;
    }
  }

  /** Records succeeded and moved-on steps, queues the customer's reports; returns the next steps to run. */
  private async decide(met: ReadonlyArray<StepKey & { status: StepStatus; at: Date }>, moves: readonly Move[]): Promise<StepKey[]> {
    const at = this.now();
    const [succeeded, moved] = await Promise.all([this.opts.repo.succeed(met), this.opts.repo.moveOn(moves, at, this.graceMs)]);
    const metBy = new Map(met.map((m) => [keyString(m), m]));
    const movesBy = new Map(moves.map((m) => [keyString(m), m]));
    await this.opts.repo.report([
      // Succeeded on delivered or read: the outcome is known. On accepted: reported when it is.
      ...succeeded.map((s) => metBy.get(keyString(s))!).filter((m) => m.status === 'delivered' || m.status === 'read')
        .map((m) => ({ sendId: m.sendId, status: 'delivered' as const, errorCode: null, errorMessage: null })),
      ...moved.filter((m) => m.next === null).map((f) => {
        const m = movesBy.get(keyString(f))!;
        return { sendId: f.sendId, status: 'failed' as const, errorCode: m.code ?? m.reason.toUpperCase(), errorMessage: m.detail };
      }),
    ], at);
    return moved.filter((m) => m.next !== null).map((m) => ({ sendId: m.sendId, idx: m.next! }));
  }

  /** Lets a channel load what its render needs (e.g. an MMS template), once per account and template in the batch. */
  private async prepare(channel: FallbackChannel, steps: readonly ClaimedStep[]): Promise<void> {
    if (!channel.prepare) return;
    const seen = new Map<string, ClaimedStep>();
    for (const s of steps) seen.set(`${s.accountId}\u0000${s.content.mms?.templateId ?? ''}\u0000${s.content.card?.templateId ?? ''}`, s);
    for (const s of seen.values()) await channel.prepare(s.content, { accountId: s.accountId });
  }

  /** Capability per send id; a channel failure makes every answer `unknown` (the send is tried). */
  private async capabilities(channel: FallbackChannel, steps: readonly ClaimedStep[]): Promise<Map<string, Capability>> {
    const out = new Map<string, Capability>();
    for (const [accountId, group] of groupBy(steps, (s) => s.accountId)) {
      let caps: Map<string, Capability>;
      try {
        caps = await channel.capabilities(accountId, [...new Set(group.map((s) => s.to))]);
      } catch (err) {
        this.log.warn('capability query failed; trying the channel anyway', { channel: channel.name, err: err instanceof Error ? err.message : String(err) });
        caps = new Map();
      }
      for (const s of group) out.set(s.sendId, caps.get(s.to) ?? 'unknown');
    }
    return out;
  }

  /** Sends through the channel; an entry is undefined where the channel threw (infrastructure trouble). */
  private async sendAll(channel: FallbackChannel, reqs: readonly StepSendRequest[]): Promise<Array<StepSendOutcome | undefined>> {
    if (reqs.length === 0) return [];
    if (sendsInBatches(channel)) {
      try {
        return await channel.sendMany(reqs);
      } catch (err) {
        this.log.warn('fallback batch send failed; retried after the claim lease', { channel: channel.name, messages: reqs.length, err: err instanceof Error ? err.message : String(err) });
        return reqs.map(() => undefined);
      }
    }
    const out: Array<StepSendOutcome | undefined> = new Array(reqs.length);
    let next = 0;
    const worker = async () => {
      while (next < reqs.length) {
        const i = next++;
        try {
          out[i] = await channel.send(reqs[i]);
        } catch (err) {
          this.log.warn('fallback send failed; retried after the claim lease', { channel: channel.name, err: err instanceof Error ? err.message : String(err) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.opts.sendConcurrency ?? 32, reqs.length) }, worker));
    return out;
  }

  /** A channel status: gathered for a moment and applied with others in one round. */
  private onStatus(e: ChannelStatusEvent): void {
    if (!parseStepRef(e.stepRef)) return;
    this.events.push(e);
    if (this.eventTimer || this.applying) return;
    this.eventTimer = setTimeout(() => void this.flushEvents(), this.opts.eventBatchMs ?? 5);
  }

  /**
   * Applies the gathered events. One round at a time: events that arrive meanwhile wait for the next
   * round, so a burst becomes a few large rounds instead of many small ones racing for the pool.
   */
  private flushEvents(): Promise<void> {
    clearTimeout(this.eventTimer);
    this.eventTimer = undefined;
    if (this.applying) return this.applying;
    if (this.events.length === 0) return Promise.resolve();
    const events = this.events;
    this.events = [];
    const p = this.applyEvents(events).finally(() => {
      this.applying = undefined;
      if (this.events.length && !this.eventTimer) this.eventTimer = setTimeout(() => void this.flushEvents(), 0);
    });
    this.applying = p;
    this.track(p);
    return p;
  }

  private async applyEvents(events: readonly ChannelStatusEvent[]): Promise<void> {
    const started = performance.now();
    // One status per step and round: the latest, or the failure (statuses never move backwards).
    const latest = new Map<string, StepKey & { status: StepStatus; at: Date; channelMessageId: string; e: ChannelStatusEvent }>();
    for (const e of events) {
      const ref = parseStepRef(e.stepRef)!;
      const k = keyString(ref);
      const seen = latest.get(k);
      // Later statuses replace earlier ones; the first failure stays (a failure is final).
      if (!seen || (rankOf(e.status) >= rankOf(seen.status) && !isFailure(seen.status))) latest.set(k, { ...ref, status: e.status, at: e.at, channelMessageId: e.channelMessageId, e });
    }
    const steps = await this.opts.repo.applyStatuses([...latest.values()]);
    const met: Array<StepKey & { status: StepStatus; at: Date }> = [];
    const moves: Move[] = [];
    const finalReports: Array<{ sendId: string; status: StepStatus; code: string | null; detail: string | null }> = [];
    for (const step of steps) {
      const { e } = latest.get(keyString(step))!;
      // A step still `sending` is decided by its sender once the send is recorded (it reads the status).
      if (step.state === 'waiting') {
        if (meetsCondition(e.status, step.condition)) met.push({ ...key(step), status: e.status, at: e.at });
        else if (isFailure(e.status)) moves.push({ ...key(step), reason: e.status === 'not_capable' ? 'not_capable' : 'failed', code: e.code ?? e.status.toUpperCase(), detail: e.detail ?? null, status: e.status, channelMessageId: e.channelMessageId });
      } else if (step.state === 'succeeded' && step.sendState === 'succeeded' && !step.reportedAt && isFinal(e.status)) {
        // A send that succeeded on `accepted` is reported when its channel knows the outcome.
        finalReports.push({ sendId: step.sendId, status: e.status, code: e.code ?? null, detail: e.detail ?? null });
      }
    }
    const next = await this.decide(met, moves);
    await this.opts.repo.report(finalReports.map((r) => (isFailure(r.status)
      ? { sendId: r.sendId, status: 'failed' as const, errorCode: r.code ?? 'FAILED', errorMessage: r.detail }
      : { sendId: r.sendId, status: 'delivered' as const, errorCode: null, errorMessage: null })), this.now());
    this.decided((performance.now() - started) / events.length, events.length);
    // The next steps run beside the following rounds of events, not in front of them.
    if (next.length) this.track(this.runSteps(next));
  }

  /** Waiting steps past their timeout: the channel's latest word decides, else the step times out. */
  private async decideTimedOut(steps: ReadonlyArray<FallbackStep & { accountId: string }>): Promise<void> {
    if (steps.length === 0) return;
    const met: Array<StepKey & { status: StepStatus; at: Date }> = [];
    const moves: Move[] = [];
    await Promise.all(steps.map(async (s) => {
      const channel = this.channels.get(s.channel);
      const latest = channel && s.channelMessageId ? await channel.status(s.accountId, s.channelMessageId).catch(() => undefined) : undefined;
      if (latest && meetsCondition(latest.status, s.condition)) met.push({ ...key(s), status: latest.status, at: latest.at });
      else if (latest && isFailure(latest.status)) moves.push({ ...key(s), reason: latest.status === 'not_capable' ? 'not_capable' : 'failed', code: latest.code ?? latest.status.toUpperCase(), detail: latest.detail ?? null, status: latest.status });
      else moves.push({ ...key(s), reason: 'timeout', code: 'TIMEOUT', detail: `${s.condition} not reached within ${s.timeoutSeconds} s`, status: latest?.status ?? null });
    }));
    const next = await this.decide(met, moves);
    if (next.length) await this.runSteps(next);
  }

  private decided(msPerMessage: number, messages: number): void {
    this.decisions.add(msPerMessage, messages);
    this.opts.onDecision?.(msPerMessage, messages);
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch((err) => this.log.error('fallback step failed', { err: err instanceof Error ? err.message : String(err) })).finally(() => this.running.delete(q));
    this.running.add(q);
  }
}

/**
 * Decision rounds as (ms per message, messages): the last 100,000 rounds, summarised with each
 * message counted (a round of 500 weighs 500 times one of 1).
 */
export class DecisionStats {
  private readonly rounds: Array<[number, number]> = [];
  private next = 0;
  private static readonly KEEP = 100_000;

  add(msPerMessage: number, messages: number): void {
    if (this.rounds.length < DecisionStats.KEEP) this.rounds.push([msPerMessage, messages]);
    else this.rounds[this.next++ % DecisionStats.KEEP] = [msPerMessage, messages];
  }

  reset(): void {
    this.rounds.length = 0;
    this.next = 0;
  }

  summary(): { rounds: number; messages: number; p50Ms: number | null; p99Ms: number | null; maxMs: number | null } {
    const sorted = [...this.rounds].sort((a, b) => a[0] - b[0]);
    const messages = sorted.reduce((n, r) => n + r[1], 0);
    const at = (q: number) => {
      let seen = 0;
      for (const [ms, n] of sorted) if ((seen += n) >= q * messages) return ms;
      return null;
    };
    return { rounds: sorted.length, messages, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted.at(-1)?.[0] ?? null };
  }
}

function key(s: StepKey): StepKey {
  return { sendId: s.sendId, idx: s.idx };
}

function keyString(s: StepKey): string {
  return `${s.sendId}:${s.idx}`;
}

function groupBy<T, K>(items: readonly T[], by: (t: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const i of items) {
    const k = by(i);
    const list = out.get(k);
    if (list) list.push(i);
    else out.set(k, [i]);
  }
  return out;
}
