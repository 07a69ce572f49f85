/**
 * SQL for MMS templates, their uploaded media and their fitted messages. Account-facing methods
 * put the account id in every WHERE (tenant isolation); operator methods address a template by id.
 * Status moves are conditional updates (`status = any(from)`) that append their history entry in
 * the same statement (src/db/review-history.ts), as card templates do.
 */
import { createHash } from 'node:crypto';
import { nanoid } from 'nanoid';
import { appendHistoryEvent } from '../../db/review-history.js';
import { isoOrNull, type Db, type Queryable } from '../../db/db-client.js';
import { newId } from '../../ids.js';
import type { MmsProfileId } from './mms-profiles.js';
import type { ComposedMms, MmsPart } from './mms-compose.js';

export const MMS_TEMPLATE_STATUSES = ['draft', 'submitted', 'approved', 'rejected'] as const;
export type MmsTemplateStatus = (typeof MMS_TEMPLATE_STATUSES)[number];

export interface MmsTemplateSlide {
  text: string;
  image?: string;
  video?: string;
  audio?: string;
  durationSeconds?: number;
}

export interface MmsTemplateContent {
  name: string;
  profile: MmsProfileId;
  subject: string;
  slides: MmsTemplateSlide[];
  variables: string[];
  sampleVariables: Record<string, string>;
}

export interface MmsTemplate extends MmsTemplateContent {
  id: string;
  accountId: string;
  status: MmsTemplateStatus;
  rejectionReason: string | null;
  history: Array<{ at: string; by: string; action: string; from: MmsTemplateStatus | null; to: MmsTemplateStatus; reason: string | null }>;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  decidedAt: string | null;
}

export type MmsTemplateMove = { kind: 'ok'; template: MmsTemplate } | { kind: 'not_found' } | { kind: 'conflict'; status: MmsTemplateStatus };

export interface StoredMmsMedia {
  id: string;
  kind: 'image' | 'video' | 'audio';
  mime: string;
  width: number | null;
  height: number | null;
  size: number;
  sha256: string;
}

/** A template's message fitted under a profile, media bytes included. */
export interface FittedTemplate {
  profile: MmsProfileId;
  smil: string;
  fixedBytes: number;
  slides: ComposedMms['slides'];
  media: MmsPart[];
}

const bytesOf = (v: unknown) => (Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array));

function toView(r: Record<string, unknown>): MmsTemplate {
  return {
    id: r.id as string, accountId: r.account_id as string, name: r.name as string, profile: r.profile as MmsProfileId,
    subject: r.subject as string, slides: r.slides as MmsTemplateSlide[], variables: r.variables as string[],
    sampleVariables: r.sample_variables as Record<string, string>, status: r.status as MmsTemplateStatus,
    rejectionReason: (r.rejection_reason as string) ?? null, history: r.history as MmsTemplate['history'],
    createdAt: isoOrNull(r.created_at)!, updatedAt: isoOrNull(r.updated_at)!, submittedAt: isoOrNull(r.submitted_at), decidedAt: isoOrNull(r.decided_at),
  };
}

const mediaView = (r: Record<string, unknown>): StoredMmsMedia => ({
  id: r.id as string, kind: r.kind as StoredMmsMedia['kind'], mime: r.mime as string, width: (r.width as number) ?? null,
  height: (r.height as number) ?? null, size: r.size_bytes as number, sha256: r.sha256 as string,
});

export class MmsTemplateRepository {
  constructor(private readonly db: Db) {}

  async create(accountId: string, c: MmsTemplateContent, by: string): Promise<MmsTemplate> {
    const at = new Date().toISOString();
    const event = { at, by, action: 'created', from: null, to: 'draft', reason: null };
    const [row] = await this.db.query(
      `insert into mms_templates (id, account_id, name, profile, subject, slides, variables, sample_variables, history, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6::jsonb, $7, $8::jsonb, $9::jsonb, $10, $10) returning *`,
      [newId('mtp'), accountId, c.name, c.profile, c.subject, JSON.stringify(c.slides), c.variables, JSON.stringify(c.sampleVariables), JSON.stringify([event]), at],
    );
    return toView(row);
  }

  async get(accountId: string, id: string): Promise<MmsTemplate | undefined> {
    const [row] = await this.db.query('select * from mms_templates where account_id = $1 and id = $2', [accountId, id]);
    return row ? toView(row) : undefined;
  }

  async findById(id: string): Promise<MmsTemplate | undefined> {
    const [row] = await this.db.query('select * from mms_templates where id = $1', [id]);
    return row ? toView(row) : undefined;
  }

  async list(accountId: string | undefined, f: { status?: MmsTemplateStatus; limit: number }): Promise<MmsTemplate[]> {
    const rows = await this.db.query(
      `select * from mms_templates where ($1::text is null or account_id = $1) and ($2::text is null or status = $2)
        order by ${accountId ? 'id desc' : 'submitted_at nulls last, id'} limit $3`,
      [accountId ?? null, f.status ?? null, f.limit],
    );
    return rows.map(toView);
  }

  replace(accountId: string, id: string, c: MmsTemplateContent, from: readonly MmsTemplateStatus[], by: string): Promise<MmsTemplateMove> {
    const at = new Date().toISOString();
    return this.move(
      `name = $4, profile = $5, subject = $6, slides = $7::jsonb, variables = $8, sample_variables = $9::jsonb, updated_at = $10::timestamptz,
       ${appendHistoryEvent('$10', '$11', `'edited'`, 'status', 'null')}`,
      'account_id = $1 and id = $2 and status = any($3::text[])',
      [accountId, id, [...from], c.name, c.profile, c.subject, JSON.stringify(c.slides), c.variables, JSON.stringify(c.sampleVariables), at, by],
      () => this.get(accountId, id),
    );
  }

  /** Submits and stores the fitted message in one transaction: a template in review always has its fit. */
  async submit(accountId: string, id: string, from: readonly MmsTemplateStatus[], by: string, fitted: FittedTemplate): Promise<MmsTemplateMove> {
    return this.db.transaction(async (tx) => {
      const at = new Date().toISOString();
      const rows = await tx.query(
        `update mms_templates set status = 'submitted', rejection_reason = null, submitted_at = $4::timestamptz, decided_at = null, updated_at = $4::timestamptz,
           ${appendHistoryEvent('$4', '$5', `'submitted'`, `'submitted'`, 'null')}
         where account_id = $1 and id = $2 and status = any($3::text[]) returning *`,
        [accountId, id, [...from], at, by],
      );
      if (!rows[0]) {
        const [now] = await tx.query<{ status: MmsTemplateStatus }>('select status from mms_templates where account_id = $1 and id = $2', [accountId, id]);
        return now ? { kind: 'conflict', status: now.status } : { kind: 'not_found' };
      }
      await this.saveFit(tx, id, fitted);
      return { kind: 'ok', template: toView(rows[0]) };
    });
  }

  decide(id: string, to: 'approved' | 'rejected', reason: string | null, from: readonly MmsTemplateStatus[], by: string): Promise<MmsTemplateMove> {
    const at = new Date().toISOString();
    return this.move(
      `status = $6, rejection_reason = $3, decided_at = $4::timestamptz, updated_at = $4::timestamptz, ${appendHistoryEvent('$4', '$5', '$6', '$6', '$3')}`,
      'id = $1 and status = any($2::text[])', [id, [...from], reason, at, by, to], () => this.findById(id),
    );
  }

  async insertMedia(accountId: string, templateId: string, m: Omit<StoredMmsMedia, 'id' | 'sha256' | 'size'>, bytes: Buffer): Promise<StoredMmsMedia> {
    const row = { ...m, id: `mmd_${nanoid(21)}`, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    await this.db.query(
      `insert into mms_media (id, account_id, template_id, kind, mime, width, height, size_bytes, sha256, bytes) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [row.id, accountId, templateId, row.kind, row.mime, row.width, row.height, row.size, row.sha256, bytes],
    );
    return row;
  }

  async listMedia(accountId: string, templateId: string): Promise<StoredMmsMedia[]> {
    const rows = await this.db.query('select id, kind, mime, width, height, size_bytes, sha256 from mms_media where account_id = $1 and template_id = $2 order by created_at, id', [accountId, templateId]);
    return rows.map(mediaView);
  }

  /** The bytes of the template's media by id (only the account's own). */
  async mediaBytes(accountId: string, templateId: string, ids: readonly string[]): Promise<Map<string, StoredMmsMedia & { bytes: Buffer }>> {
    const rows = await this.db.query('select * from mms_media where account_id = $1 and template_id = $2 and id = any($3::text[])', [accountId, templateId, [...ids]]);
    return new Map(rows.map((r) => [r.id as string, { ...mediaView(r), bytes: bytesOf(r.bytes) }]));
  }

  /**
   * Public read for /mm/{id} (the H5 page of an MMS): the media as fitted for its template's own
   * profile, only while the template is approved. Ids are 21 random characters, so they cannot
   * be guessed; a media used on two slides is served as fitted for the first.
   */
  async approvedFittedMedia(id: string): Promise<{ contentType: string; bytes: Buffer } | undefined> {
    const [r] = await this.db.query(
      `select p.content_type, p.bytes
         from mms_media m
         join mms_templates t on t.id = m.template_id and t.account_id = m.account_id and t.status = 'approved'
         cross join lateral jsonb_array_elements(t.slides) with ordinality as s(slide, n)
         join mms_fitted_parts p on p.template_id = t.id and p.profile = t.profile and p.slide = s.n - 1 and p.role = m.kind
        where m.id = $1 and s.slide ->> m.kind = m.id
        order by p.slide limit 1`,
      [id],
    );
    return r ? { contentType: r.content_type as string, bytes: bytesOf(r.bytes) } : undefined;
  }

  async loadFit(templateId: string, profile: MmsProfileId): Promise<FittedTemplate | undefined> {
    const [f] = await this.db.query('select * from mms_fitted where template_id = $1 and profile = $2', [templateId, profile]);
    if (!f) return undefined;
    const parts = await this.db.query('select * from mms_fitted_parts where template_id = $1 and profile = $2 order by slide, name', [templateId, profile]);
    return {
      profile, smil: f.smil as string, fixedBytes: f.fixed_bytes as number, slides: f.slides as ComposedMms['slides'],
      media: parts.map((p) => ({ name: p.name as string, contentType: p.content_type as string, slide: p.slide as number, role: p.role as MmsPart['role'], bytes: bytesOf(p.bytes) })),
    };
  }

  /** Stores a fit made outside review (another profile asked at send time); a concurrent one wins. */
  async storeFit(templateId: string, fitted: FittedTemplate): Promise<void> {
    await this.db.transaction((tx) => this.saveFit(tx, templateId, fitted));
  }

  private async saveFit(tx: Queryable, templateId: string, f: FittedTemplate): Promise<void> {
    await tx.query('delete from mms_fitted_parts where template_id = $1 and profile = $2', [templateId, f.profile]);
    await tx.query(
      `insert into mms_fitted (template_id, profile, smil, fixed_bytes, slides) values ($1, $2, $3, $4, $5::jsonb)
       on conflict (template_id, profile) do update set smil = excluded.smil, fixed_bytes = excluded.fixed_bytes, slides = excluded.slides, created_at = now()`,
      [templateId, f.profile, f.smil, f.fixedBytes, JSON.stringify(f.slides)],
    );
    for (const p of f.media) {
      await tx.query('insert into mms_fitted_parts (template_id, profile, name, content_type, slide, role, bytes) values ($1, $2, $3, $4, $5, $6, $7)',
        [templateId, f.profile, p.name, p.contentType, p.slide, p.role, p.bytes]);
    }
  }

  private async move(sets: string, where: string, params: unknown[], current: () => Promise<MmsTemplate | undefined>): Promise<MmsTemplateMove> {
    const rows = await this.db.query(`update mms_templates set ${sets} where ${where} returning *`, params);
    if (rows[0]) return { kind: 'ok', template: toView(rows[0]) };
    const now = await current();
    return now ? { kind: 'conflict', status: now.status } : { kind: 'not_found' };
  }
}
