/**
 * MMS templates: create and edit (subject and slide texts with {{variables}}, media by upload),
 * the carrier-style review (draft → submitted → approved | rejected with a reason; a rejected
 * template is edited and submitted again), and the prepared form a send uses. Only approved
 * templates send.
 *
 * Submitting fits the message once for the template's profile (pictures re-encoded to the budget
 * left by texts with their variable reserve, SMIL made, videos and audio checked) and stores the
 * result with the submission, so a template that cannot fit is refused at submission with the
 * field and rule, and an approved one sends without any image work. Approval loads the prepared
 * template into this process's cache; other processes load it on first use (`prepare`).
 */
import { AppError, notFound } from '../../http/app-error.js';
import { cardVariables } from '../../cards/card-variables.js';
import { composeMms } from './mms-compose.js';
import { sniffMedia } from './mms-media-type.js';
import { imageHeader } from './mms-image-fit.js';
import { DEFAULT_MMS_PROFILE, MMS_PROFILES, type MmsProfileId } from './mms-profiles.js';
import { PreparedMmsTemplate, reservedBytes } from './mms-prepared-template.js';
import type {
  FittedTemplate, MmsTemplate, MmsTemplateMove, MmsTemplateRepository, MmsTemplateSlide, MmsTemplateStatus, StoredMmsMedia,
} from './mms-template.repository.js';

export const MMS_TEMPLATE_TRANSITIONS = {
  edit: ['draft', 'rejected'],
  upload: ['draft', 'rejected'],
  submit: ['draft', 'rejected'],
  approve: ['submitted'],
  reject: ['submitted'],
} as const satisfies Record<string, readonly MmsTemplateStatus[]>;
type Action = keyof typeof MMS_TEMPLATE_TRANSITIONS;

export interface MmsTemplateInput {
  name: string;
  profile?: MmsProfileId;
  subject?: string;
  slides: MmsTemplateSlide[];
  sampleVariables?: Record<string, string>;
}

/** Largest upload: a video for the largest profile, or a camera photo. */
export const MAX_MMS_UPLOAD_BYTES = 10 * 1024 * 1024;
const CACHE_LIMIT = 2_000;

export class MmsTemplateService {
  /** Prepared approved templates by `<templateId>:<profile>`, least recently used dropped first. */
  private readonly prepared = new Map<string, PreparedMmsTemplate>();

  constructor(private readonly repo: MmsTemplateRepository) {}

  create(accountId: string, input: MmsTemplateInput): Promise<MmsTemplate> {
    return this.repo.create(accountId, content(input), `account:${accountId}`);
  }

  async replace(accountId: string, id: string, input: MmsTemplateInput): Promise<MmsTemplate> {
    return outcome(await this.repo.replace(accountId, id, content(input), MMS_TEMPLATE_TRANSITIONS.edit, `account:${accountId}`), id, 'edit');
  }

  async get(accountId: string, id: string): Promise<MmsTemplate> {
    const t = await this.repo.get(accountId, id);
    if (!t) throw notFound(`MMS template ${id}`);
    return t;
  }

  list(accountId: string, f: { status?: MmsTemplateStatus; limit: number }): Promise<MmsTemplate[]> {
    return this.repo.list(accountId, f);
  }

  review(f: { status?: MmsTemplateStatus; limit: number }): Promise<MmsTemplate[]> {
    return this.repo.list(undefined, f);
  }

  async findForReview(id: string): Promise<MmsTemplate> {
    const t = await this.repo.findById(id);
    if (!t) throw notFound(`MMS template ${id}`);
    return t;
  }

  /**
   * Stores a picture, video or audio file for the template (checked by its bytes; fitted at submission).
   * @throws AppError MMS_MEDIA_TYPE_NOT_ALLOWED (field body), MMS_TOO_LARGE, MMS_TEMPLATE_INVALID_TRANSITION.
   */
  async upload(accountId: string, templateId: string, bytes: Buffer): Promise<StoredMmsMedia> {
    const t = await this.get(accountId, templateId);
    if (!(MMS_TEMPLATE_TRANSITIONS.upload as readonly string[]).includes(t.status)) throw invalidMove(t, 'upload');
    if (bytes.length > MAX_MMS_UPLOAD_BYTES) throw new AppError(400, 'MMS_TOO_LARGE', `body: the file is ${bytes.length} bytes; at most ${MAX_MMS_UPLOAD_BYTES} are taken`, 'body');
    const sniffed = sniffMedia(bytes);
    const profile = MMS_PROFILES[t.profile];
    const allowed = sniffed && [...profile.imageTypes, ...profile.videoTypes, ...profile.audioTypes].includes(sniffed.mime as never);
    if (!sniffed || !allowed) {
      throw new AppError(400, 'MMS_MEDIA_TYPE_NOT_ALLOWED', `body: ${sniffed?.mime ?? 'an unrecognised file'} is not a type the ${profile.id} profile takes (${[...profile.imageTypes, ...profile.videoTypes, ...profile.audioTypes].join(', ')})`, 'body');
    }
    if (sniffed.kind !== 'image' && bytes.length > profile.maxBytes) {
      throw new AppError(400, 'MMS_TOO_LARGE', `body: the ${sniffed.kind} is ${bytes.length} bytes; the whole ${profile.id} message may be ${profile.maxBytes} (videos and audio are not transcoded)`, 'body');
    }
    let dims: { width: number | null; height: number | null } = { width: null, height: null };
    if (sniffed.kind === 'image') {
      const h = await imageHeader(bytes).catch(() => undefined);
      if (!h?.width) throw new AppError(400, 'MMS_MEDIA_TYPE_NOT_ALLOWED', 'body: the picture cannot be decoded', 'body');
      dims = { width: h.width, height: h.pageHeight ?? h.height ?? null };
    }
    return this.repo.insertMedia(accountId, templateId, { kind: sniffed.kind, mime: sniffed.mime, ...dims }, bytes);
  }

  listMedia(accountId: string, templateId: string): Promise<StoredMmsMedia[]> {
    return this.get(accountId, templateId).then(() => this.repo.listMedia(accountId, templateId));
  }

  /**
   * Sends the template for review: a sample value for every variable, the texts valid once
   * rendered with them, and the message fitted under its profile (stored with the submission).
   */
  async submit(accountId: string, id: string): Promise<MmsTemplate> {
    const t = await this.get(accountId, id);
    if (!(MMS_TEMPLATE_TRANSITIONS.submit as readonly string[]).includes(t.status)) throw invalidMove(t, 'submit');
    const missing = t.variables.filter((v) => !Object.prototype.hasOwnProperty.call(t.sampleVariables, v));
    if (missing.length) {
      throw new AppError(400, 'MMS_TEMPLATE_INCOMPLETE', `Give sampleVariables a value for ${missing.map((m) => `{{${m}}}`).join(', ')}: reviewers read the message with them`, `sampleVariables.${missing[0]}`, { missing });
    }
    const fit = await this.fit(t, t.profile);
    new PreparedMmsTemplate(t, fit).render(t.sampleVariables);
    return outcome(await this.repo.submit(accountId, id, MMS_TEMPLATE_TRANSITIONS.submit, `account:${accountId}`, fit), id, 'submit');
  }

  async approve(id: string, operator?: string): Promise<MmsTemplate> {
    const t = outcome(await this.repo.decide(id, 'approved', null, MMS_TEMPLATE_TRANSITIONS.approve, operator ? `operator:${operator}` : 'operator'), id, 'approve');
    // Warm this process's cache: the first send of a campaign need not read the fit.
    await this.prepare(t.accountId, t.id).catch(() => undefined);
    return t;
  }

  async reject(id: string, reason: string, operator?: string): Promise<MmsTemplate> {
    return outcome(await this.repo.decide(id, 'rejected', reason, MMS_TEMPLATE_TRANSITIONS.reject, operator ? `operator:${operator}` : 'operator'), id, 'reject');
  }

  /**
   * An approved template prepared for sending under `profile` (default: its own): from this
   * process's cache, else the stored fit, else fitted now for that profile and stored.
   * @throws AppError NOT_FOUND (field templateId), MMS_TEMPLATE_NOT_APPROVED (409), MMS_TOO_LARGE… for another profile.
   */
  async prepare(accountId: string, templateId: string, profile?: MmsProfileId): Promise<PreparedMmsTemplate> {
    const hit = this.cached(accountId, templateId, profile);
    if (hit) return hit;
    const t = await this.repo.get(accountId, templateId);
    if (!t) throw new AppError(404, 'NOT_FOUND', `MMS template ${templateId} not found`, 'templateId');
    if (t.status !== 'approved') {
      throw new AppError(409, 'MMS_TEMPLATE_NOT_APPROVED', `MMS template ${templateId} is ${t.status}; only approved templates send`, 'templateId', { status: t.status });
    }
    const p = profile ?? t.profile;
    let fit = await this.repo.loadFit(t.id, p);
    if (!fit) {
      fit = await this.fit(t, p);
      await this.repo.storeFit(t.id, fit);
    }
    const prepared = new PreparedMmsTemplate(t, fit);
    this.prepared.set(`${t.id}:${p}`, prepared);
    if (t.profile === p) this.prepared.set(`${t.id}:`, prepared);
    while (this.prepared.size > CACHE_LIMIT) this.prepared.delete(this.prepared.keys().next().value as string);
    return prepared;
  }

  /** The prepared template if this process has it (sync: the fallback channel's render). */
  cached(accountId: string, templateId: string, profile?: MmsProfileId): PreparedMmsTemplate | undefined {
    const key = `${templateId}:${profile ?? ''}`;
    const hit = this.prepared.get(key);
    if (!hit || hit.template.accountId !== accountId) return undefined;
    this.prepared.delete(key);
    this.prepared.set(key, hit);
    return hit;
  }

  /** Public: a media of an approved template as fitted for its profile (the /mm/{id} route of the MMS H5 page). */
  approvedMedia(mediaId: string): Promise<{ contentType: string; bytes: Buffer } | undefined> {
    return this.repo.approvedFittedMedia(mediaId);
  }

  /** Fits the template's media under a profile, texts counted with their variable reserve. */
  private async fit(t: MmsTemplate, profileId: MmsProfileId): Promise<FittedTemplate> {
    const ids = t.slides.flatMap((s) => [s.image, s.video, s.audio].filter((x): x is string => Boolean(x)));
    const media = await this.repo.mediaBytes(t.accountId, t.id, ids);
    const slides = t.slides.map((s, i) => {
      const pick = (role: 'image' | 'video' | 'audio') => {
        const id = s[role];
        if (!id) return undefined;
        const m = media.get(id);
        if (!m) throw new AppError(400, 'MMS_INVALID', `slides.${i}.${role}: media ${id} is not uploaded to this template (POST …/media first)`, `slides.${i}.${role}`);
        return m.bytes;
      };
      return { text: s.text, image: pick('image'), video: pick('video'), audio: pick('audio'), durationSeconds: s.durationSeconds };
    });
    const composed = await composeMms(MMS_PROFILES[profileId], t.subject, slides, {
      textReserve: { subject: reservedBytes(t.subject), texts: t.slides.map((s) => reservedBytes(s.text)) },
    });
    return { profile: profileId, smil: composed.smil, fixedBytes: composed.fixedBytes, slides: composed.slides, media: composed.media };
  }
}

function content(input: MmsTemplateInput) {
  const subject = input.subject ?? '';
  const variables = cardVariables({ subject, slides: input.slides.map((s) => ({ text: s.text })) }, '');
  return { name: input.name, profile: input.profile ?? DEFAULT_MMS_PROFILE, subject, slides: input.slides, variables, sampleVariables: input.sampleVariables ?? {} };
}

const PAST: Record<Action, string> = { edit: 'edited', upload: 'given media', submit: 'submitted', approve: 'approved', reject: 'rejected' };

function invalidMove(t: { id: string; status: MmsTemplateStatus }, action: Action): AppError {
  const from = MMS_TEMPLATE_TRANSITIONS[action];
  return new AppError(409, 'MMS_TEMPLATE_INVALID_TRANSITION', `MMS template ${t.id} is ${t.status}; only ${from.join(' or ')} templates can be ${PAST[action]}`, 'status', { status: t.status, allowedFrom: from });
}

function outcome(moved: MmsTemplateMove, id: string, action: Action): MmsTemplate {
  switch (moved.kind) {
    case 'ok': return moved.template;
    case 'not_found': throw notFound(`MMS template ${id}`);
    case 'conflict': throw invalidMove({ id, status: moved.status }, action);
  }
}
