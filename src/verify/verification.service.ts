/**
 * The verification (OTP) use cases: start, check, resend, cancel, and the channel failover.
 *
 * A verification sends one code on the first channel of its chain; when that attempt fails, or
 * has not reached the failover condition (sent / delivered / read) within the timeout, the same
 * code goes out on the next channel, once: a step is taken by a conditional UPDATE, so two
 * processes (a report and the sweeper, say) never both take it. Times come from the channels'
 * own records, so the backfill report counts what really happened.
 */
import type { Redis } from 'ioredis';
import type { Account } from '../accounts/account.js';
import { AppError } from '../http/app-error.js';
import { newId } from '../ids.js';
import type { Logger } from '../logging/logger.js';
import { maskNumber } from '../logging/logger.js';
import { parsePhoneNumber } from '../numbers/phone-number.js';
import { codeMatches, generateCode, hashCode, openCode, sealCode } from './verification-code.js';
import type { VerificationLimiter } from './verification-limits.js';
import type { VerificationSenders } from './verification-senders.js';
import type {
  AttemptChange, FailoverCondition, Verification, VerificationAttempt, VerificationRepository, VerifyChannel,
} from './verification.repository.js';

export interface StartVerification {
  to: string;
  channels: VerifyChannel[];
  codeLength: number;
  ttlSeconds: number;
  locale?: string;
  templateId?: string;
  senderId?: string;
  maxChecks: number;
  failover: { condition: FailoverCondition; timeoutSeconds: number };
  /** The end user's IP address as the customer saw it (per-IP anti-bombing). */
  clientIp?: string;
}

export interface VerificationServiceDeps {
  repo: VerificationRepository;
  senders: VerificationSenders;
  limiter: VerificationLimiter;
  redis: Redis;
  redisPrefix: string;
  /** Keys the code HMAC and the sealed copy in Redis. */
  secret: string;
  logger: Logger;
  /** Attempts (sends and resends) one verification may make. */
  maxAttempts?: number;
}

const RANK: Record<string, number> = { pending: 0, sent: 1, delivered: 2, read: 3 };

/** Did the attempt reach what the failover waits for? */
export function conditionMet(status: VerificationAttempt['status'], condition: FailoverCondition): boolean {
  return status !== 'failed' && RANK[status] >= RANK[condition];
}

export class VerificationService {
  private readonly log: Logger;

  constructor(private readonly deps: VerificationServiceDeps) {
    this.log = deps.logger.child({ component: 'verify' });
  }

  async start(account: Account, input: StartVerification): Promise<{ verification: Verification; attempts: VerificationAttempt[] }> {
    const number = parsePhoneNumber(input.to);
    if (!number.ok) throw new AppError(400, number.code, number.message, 'to');
    await this.takeLimit(account.id, number.e164, input.clientIp);
    const id = newId('ver');
    const code = generateCode(input.codeLength);
    const now = new Date();
    const v: Verification = {
      id, accountId: account.id, to: number.e164, country: number.country, channels: input.channels,
      codeHash: hashCode(this.deps.secret, id, code), codeLength: input.codeLength, locale: input.locale ?? null,
      templateId: input.templateId ?? null, senderId: input.senderId ?? null, status: 'pending', checks: 0, maxChecks: input.maxChecks,
      expiresAt: new Date(now.getTime() + input.ttlSeconds * 1000), clientIp: input.clientIp ?? null, step: 0,
      failoverCondition: input.failover.condition, failoverTimeoutS: input.failover.timeoutSeconds, createdAt: now, approvedAt: null,
    };
    const attempt = newAttempt(v, 1, 0, 'initial');
    await Promise.all([
      this.deps.repo.create(v, attempt),
      this.deps.redis.set(this.codeKey(id), sealCode(this.deps.secret, id, code), 'EX', input.ttlSeconds),
    ]);
    await this.sendAttempt(account, v, attempt, 0, code);
    return (await this.deps.repo.get(account.id, id))!;
  }

  async check(account: Account, id: string, code: string): Promise<Verification> {
    const out = await this.deps.repo.check(account.id, id, (v) => codeMatches(this.deps.secret, v.id, code, v.codeHash), new Date());
    if (!out) throw notFoundVerification(id);
    if (out.verification.status !== 'pending') await this.deps.redis.del(this.codeKey(id));
    return out.verification;
  }

  /** The same code again, on the channel in use (or the one asked for). */
  async resend(account: Account, id: string, channel?: VerifyChannel): Promise<{ verification: Verification; attempts: VerificationAttempt[] }> {
    const found = await this.deps.repo.get(account.id, id);
    if (!found) throw notFoundVerification(id);
    const v = found.verification;
    if (v.status !== 'pending' || v.expiresAt <= new Date()) {
      throw new AppError(409, 'VERIFICATION_NOT_PENDING', `Verification ${id} is ${v.expiresAt <= new Date() && v.status === 'pending' ? 'expired' : v.status}; start a new one`, 'id');
    }
    if (channel && !v.channels.includes(channel)) throw new AppError(400, 'VALIDATION_FAILED', `channel ${channel} is not in this verification's channels`, 'channel');
    if (found.attempts.length >= (this.deps.maxAttempts ?? 5)) {
      throw new AppError(429, 'VERIFICATION_MAX_SENDS', `Verification ${id} was already sent ${found.attempts.length} times`, 'id');
    }
    const code = await this.codeOf(v);
    if (!code) throw new AppError(409, 'VERIFICATION_NOT_PENDING', `Verification ${id} has no valid code any more; start a new one`, 'id');
    await this.takeLimit(account.id, v.to, v.clientIp ?? undefined);
    const step = channel ? v.channels.indexOf(channel) : v.step;
    await this.sendStep(account, v, step, 'resend', code);
    return (await this.deps.repo.get(account.id, id))!;
  }

  async cancel(account: Account, id: string): Promise<Verification> {
    const v = await this.deps.repo.cancel(account.id, id);
    if (!v) throw notFoundVerification(id);
    await this.deps.redis.del(this.codeKey(id));
    return v;
  }

  async get(account: Account, id: string) {
    const found = await this.deps.repo.get(account.id, id);
    if (!found) throw notFoundVerification(id);
    return found;
  }

  /**
   * An attempt's outcome arrived (SMS report, WhatsApp webhook). A failure on the current step
   * makes the next step due now; reaching the condition cancels the timeout.
   */
  async attemptChanged(attemptId: string, change: AttemptChange): Promise<void> {
    const out = await this.deps.repo.changeAttempt(attemptId, change);
    if (!out) return;
    const { attempt, verification: v } = out;
    // Nothing to decide once the verification is over, or on its last channel.
    if (v.status !== 'pending' || v.channels[v.step] !== attempt.channel || v.step + 1 >= v.channels.length) return;
    if (attempt.status === 'failed') await this.deps.repo.scheduleNextStep(v.id, new Date());
    else if (conditionMet(attempt.status, v.failoverCondition)) await this.deps.repo.scheduleNextStep(v.id, null);
  }

  /** A verification whose step came due: move to the next channel unless the attempt made it meanwhile. */
  async stepDue(v: Verification, account: Account): Promise<void> {
    if (v.status !== 'pending' || v.expiresAt <= new Date() || v.step + 1 >= v.channels.length) return;
    const last = await this.deps.repo.latestAttempt(v.id);
    if (last && conditionMet(last.status, v.failoverCondition)) return;
    const code = await this.codeOf(v);
    if (!code) return;
    if (!(await this.deps.repo.advanceStep(v.id, v.step))) return; // another process took this step
    const why = last?.status === 'failed' ? `failover:${last.errorCode ?? 'failed'}` : `failover:timeout`;
    await this.sendStep(account, { ...v, step: v.step + 1 }, v.step + 1, why, code);
  }

  private async sendStep(account: Account, v: Verification, step: number, reason: string, code: string): Promise<void> {
    const attempt = newAttempt(v, (await this.deps.repo.countAttempts(v.id)) + 1, step, reason);
    await this.deps.repo.addAttempt({ ...attempt, accountId: account.id });
    await this.sendAttempt(account, v, attempt, step, code);
  }

  private async sendAttempt(account: Account, v: Verification, attempt: VerificationAttempt, step: number, code: string): Promise<void> {
    const sent = await this.deps.senders.send(account, v, attempt, code);
    if (!sent.ok) {
      this.log.info('verification attempt refused', { verificationId: v.id, channel: attempt.channel, to: maskNumber(v.to), code: sent.errorCode });
      await this.deps.repo.changeAttempt(attempt.id, { status: 'failed', messageId: sent.messageId, errorCode: sent.errorCode });
      if (step + 1 < v.channels.length) await this.deps.repo.scheduleNextStep(v.id, new Date());
      return;
    }
    await this.deps.repo.changeAttempt(attempt.id, {
      messageId: sent.messageId, route: sent.route, connection: sent.connection, senderId: sent.senderId, sentAt: sent.sentAt,
      status: sent.sentAt ? 'sent' : undefined,
    });
    if (step + 1 < v.channels.length) await this.deps.repo.scheduleNextStep(v.id, new Date(Date.now() + v.failoverTimeoutS * 1000));
  }

  private async takeLimit(accountId: string, e164: string, ip: string | undefined): Promise<void> {
    const r = await this.deps.limiter.take({ accountId, e164, ip });
    if (!r.ok) {
      const what = r.code === 'VERIFY_NUMBER_RATE_LIMITED' ? 'this number' : r.code === 'VERIFY_IP_RATE_LIMITED' ? 'this IP address' : 'this account';
      throw new AppError(429, r.code, `At most ${r.limit.limit} verification codes per ${r.limit.windowSeconds} s to ${what}; try again later`,
        r.code === 'VERIFY_NUMBER_RATE_LIMITED' ? 'to' : r.code === 'VERIFY_IP_RATE_LIMITED' ? 'clientIp' : undefined);
    }
  }

  private async codeOf(v: Verification): Promise<string | undefined> {
    const sealed = await this.deps.redis.get(this.codeKey(v.id));
    return sealed ? openCode(this.deps.secret, v.id, sealed) : undefined;
  }

  private codeKey(id: string): string {
    return `${this.deps.redisPrefix}:vcode:${id}`;
  }
}

function newAttempt(v: Verification, seq: number, step: number, reason: string): VerificationAttempt {
  return {
    id: newId('vat'), verificationId: v.id, seq, channel: v.channels[step], messageId: null, route: null, connection: null,
    senderId: null, country: v.country, status: 'pending', reason, errorCode: null, sentAt: null, deliveredAt: null, verifiedAt: null, createdAt: new Date(),
  };
}

const notFoundVerification = (id: string) => new AppError(404, 'NOT_FOUND', `Verification ${id} not found`);
