/**
 * Uploads to a card template: the template must be the account's and editable (draft or
 * rejected), the image is processed (card-image.ts) and stored with its thumbnail. The answer's
 * `media` is a card `image` object ready to paste into the card (url /m/{id}).
 */
import type { CardImage } from './card-model.js';
import { processCardImage } from './card-image.js';
import type { CardMediaRepository, StoredMedia } from './card-media.repository.js';
import type { CardTemplateService } from './card-template.service.js';

/** The path uploaded media is served at. */
export const mediaPath = (id: string) => `/m/${id}`;

export interface UploadedCardImage {
  id: string;
  thumbnailId: string;
  /** A card `image` object: put it in the card's `media` as is. */
  media: CardImage & { thumbnail: NonNullable<CardImage['thumbnail']> };
  /** What was uploaded, before processing. */
  source: { format: string; width: number; height: number; bytes: number; animated: boolean };
}

type MediaRow = Omit<StoredMedia, 'bytes'>;

function uploaded(image: MediaRow, thumb: MediaRow): Omit<UploadedCardImage, 'source'> {
  return {
    id: image.id,
    thumbnailId: thumb.id,
    media: {
      kind: 'image', url: mediaPath(image.id), mime: image.mime, size: image.size, width: image.width, height: image.height,
      thumbnail: { url: mediaPath(thumb.id), mime: thumb.mime, size: thumb.size, width: thumb.width, height: thumb.height },
    },
  };
}

export class CardMediaService {
  constructor(private readonly deps: { repo: CardMediaRepository; templates: CardTemplateService }) {}

  async upload(accountId: string, templateId: string, bytes: Buffer): Promise<UploadedCardImage> {
    await this.deps.templates.assertCan(accountId, templateId, 'upload');
    const processed = await processCardImage(bytes);
    const stored = await this.deps.repo.insertPair(accountId, templateId, processed.image, processed.thumbnail);
    return { ...uploaded(stored.image, stored.thumbnail), source: processed.source };
  }

  /** The images uploaded to one of the account's templates, oldest first (any status). */
  async list(accountId: string, templateId: string): Promise<Omit<UploadedCardImage, 'source'>[]> {
    await this.deps.templates.get(accountId, templateId);
    const rows = await this.deps.repo.listForTemplate(accountId, templateId);
    return rows.filter((r) => r.role === 'image').flatMap((image) => {
      const thumb = rows.find((r) => r.parentId === image.id);
      return thumb ? [uploaded(image, thumb)] : [];
    });
  }

  /** Public: one stored image by id (the /m/{id} route). */
  get(id: string): Promise<StoredMedia | undefined> {
    return this.deps.repo.get(id);
  }
}
