/**
 * SQL for uploaded card images (bytea rows, see 009_cards.sql). Writes are scoped to the account;
 * reads by id are public on purpose: /m/{id} serves the H5 page and handsets without a key, and
 * the ids are 21 random characters, so they cannot be guessed.
 */
import { createHash } from 'node:crypto';
import { nanoid } from 'nanoid';
import type { Db } from '../db/db-client.js';
import type { EncodedImage } from './card-image.js';

/** One stored image as /m/{id} serves it. */
export interface StoredMedia {
  id: string;
  mime: string;
  bytes: Buffer;
  sha256: string;
  size: number;
  width: number;
  height: number;
}

/** What an insert stored: ids and hashes of the image and its thumbnail. */
export interface StoredPair {
  image: Omit<StoredMedia, 'bytes'>;
  thumbnail: Omit<StoredMedia, 'bytes'>;
}

export const newMediaId = () => `med_${nanoid(21)}`;
const digest = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export class CardMediaRepository {
  constructor(private readonly db: Db) {}

  /** Stores an image and its thumbnail for a template of the account, in one transaction. */
  async insertPair(accountId: string, templateId: string, image: EncodedImage, thumbnail: EncodedImage): Promise<StoredPair> {
    const at = new Date().toISOString();
    const row = (e: EncodedImage) => ({ id: newMediaId(), mime: e.mime, sha256: digest(e.bytes), size: e.bytes.length, width: e.width, height: e.height });
    const main = row(image);
    const thumb = row(thumbnail);
    await this.db.transaction(async (tx) => {
      const insert = `insert into card_media (id, account_id, template_id, parent_id, role, mime, width, height, size_bytes, sha256, bytes, created_at)
                      values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;
      await tx.query(insert, [main.id, accountId, templateId, null, 'image', main.mime, main.width, main.height, main.size, main.sha256, image.bytes, at]);
      await tx.query(insert, [thumb.id, accountId, templateId, main.id, 'thumbnail', thumb.mime, thumb.width, thumb.height, thumb.size, thumb.sha256, thumbnail.bytes, at]);
    });
    return { image: main, thumbnail: thumb };
  }

  /** Public read for /m/{id}. */
  async get(id: string): Promise<StoredMedia | undefined> {
    const [r] = await this.db.query('select id, mime, bytes, sha256, size_bytes, width, height from card_media where id = $1', [id]);
    if (!r) return undefined;
    // pg returns a Buffer, PGlite a Uint8Array.
    const bytes = Buffer.isBuffer(r.bytes) ? r.bytes : Buffer.from(r.bytes as Uint8Array);
    return { id: r.id as string, mime: r.mime as string, bytes, sha256: r.sha256 as string, size: r.size_bytes as number, width: r.width as number, height: r.height as number };
  }

  /** The account's images of a template (metadata only), oldest first. */
  async listForTemplate(accountId: string, templateId: string): Promise<(Omit<StoredMedia, 'bytes'> & { role: string; parentId: string | null })[]> {
    const rows = await this.db.query(
      `select id, mime, sha256, size_bytes, width, height, role, parent_id from card_media where account_id = $1 and template_id = $2 order by created_at, role`,
      [accountId, templateId],
    );
    return rows.map((r) => ({
      id: r.id as string, mime: r.mime as string, sha256: r.sha256 as string, size: r.size_bytes as number,
      width: r.width as number, height: r.height as number, role: r.role as string, parentId: (r.parent_id as string) ?? null,
    }));
  }
}
