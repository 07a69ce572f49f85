/**
 * The mms channel as the fallback engine drives it (src/fallback/fallback-channel.ts). MMS reaches
 * nearly every handset with no setting to switch on (DOMAIN.md), so every number is `capable`.
 * `prepare` loads the approved template with its pictures fitted at review; `render` then fills in
 * the recipient's texts only (pure, no I/O), or refuses naming the field (a template not approved,
 * a value that makes the message too large). `send` is idempotent per stepRef (unique in
 * mms_messages): a repeat returns the first message. Statuses: accepted (the gateway took it),
 * then delivered or failed from the gateway's reports.
 */
import type {
  Capability, ChannelStatusEvent, FallbackChannel, FallbackContent, RenderRefusal, StepRendering, StepSendOutcome, StepSendRequest,
} from '../../fallback/fallback-channel.js';
import { AppError } from '../../http/app-error.js';
import { ChannelError } from '../channel-adapter.js';
import type { MmsMessage } from './mms-message.repository.js';
import type { MmsRendering } from './mms-prepared-template.js';
import type { MmsTemplateService } from './mms-template.service.js';
import type { MmsService } from './mms.service.js';

export const MMS_RENDERING_KIND = 'mms';

export class MmsFallbackChannel implements FallbackChannel {
  readonly name = 'mms' as const;
  readonly defaultCondition = 'delivered' as const;
  readonly conditions = ['accepted', 'delivered'] as const;
  /** Why a template could not be prepared (its render refuses with this until prepared again). */
  private readonly unprepared = new Map<string, RenderRefusal>();

  constructor(private readonly deps: { service: MmsService; templates: MmsTemplateService }) {}

  async capabilities(_accountId: string, numbers: readonly string[]): Promise<Map<string, Capability>> {
    return new Map(numbers.map((n) => [n, 'capable' as const]));
  }

  async prepare(content: FallbackContent, ctx: { accountId: string }): Promise<void> {
    if (!content.mms) return;
    const key = `${ctx.accountId}:${content.mms.templateId}`;
    try {
      await this.deps.templates.prepare(ctx.accountId, content.mms.templateId);
      this.unprepared.delete(key);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      this.unprepared.set(key, { code: err.code === 'NOT_FOUND' ? 'MMS_TEMPLATE_NOT_FOUND' : err.code, message: err.message, field: 'mms.templateId' });
      if (this.unprepared.size > 10_000) this.unprepared.delete(this.unprepared.keys().next().value as string);
    }
  }

  render(content: FallbackContent, ctx: { accountId: string }): StepRendering | { refused: RenderRefusal } {
    if (!content.mms) return { refused: { code: 'MMS_CONTENT_MISSING', message: 'the send carries no mms content (templateId and variables)', field: 'mms' } };
    const { templateId, variables } = content.mms;
    const prepared = this.deps.templates.cached(ctx.accountId, templateId);
    if (!prepared) {
      return { refused: this.unprepared.get(`${ctx.accountId}:${templateId}`)
        ?? { code: 'MMS_TEMPLATE_NOT_PREPARED', message: `MMS template ${templateId} is not loaded in this process: call prepare() before render()`, field: 'mms.templateId' } };
    }
    const r = prepared.tryRender(variables);
    if ('refused' in r) return { refused: { ...r.refused, field: r.refused.field && `mms.${r.refused.field}` } };
    return { kind: MMS_RENDERING_KIND, payload: r };
  }

  async send(req: StepSendRequest): Promise<StepSendOutcome> {
    const r = req.rendering.payload as MmsRendering;
    if (req.rendering.kind !== MMS_RENDERING_KIND || r?.accountId !== req.accountId) {
      return { ok: false, reason: 'rejected', code: 'MMS_CONTENT_MISSING', message: 'the rendering is not an mms rendering of this account' };
    }
    let m: MmsMessage;
    try {
      m = await this.deps.service.sendRendering(req.accountId, r, { to: req.to, category: req.category, stepRef: req.stepRef, mode: 'step' });
    } catch (err) {
      if (err instanceof AppError) return { ok: false, reason: 'rejected', code: err.code, message: err.message };
      if (err instanceof ChannelError && !err.retryable) return { ok: false, reason: 'rejected', code: err.code, message: err.message };
      throw err;
    }
    if (m.status === 'failed') return { ok: false, reason: 'rejected', code: m.errorCode ?? 'MMS_GATEWAY_REFUSED', message: m.errorMessage ?? 'failed', channelMessageId: m.id };
    if (m.status === 'pending') return { ok: true, channelMessageId: m.id };
    return { ok: true, channelMessageId: m.id, status: m.status };
  }

  async status(accountId: string, channelMessageId: string): Promise<ChannelStatusEvent | undefined> {
    const m = await this.deps.service.get(accountId, channelMessageId);
    if (!m?.stepRef || m.status === 'pending') return undefined;
    const last = m.history.at(-1);
    return { stepRef: m.stepRef, channelMessageId: m.id, status: m.status, at: last ? new Date(last.at) : new Date(), code: m.errorCode, detail: m.errorMessage };
  }

  onStatus(listener: (e: ChannelStatusEvent) => void | Promise<void>): () => void {
    return this.deps.service.onStatus(listener);
  }
}
