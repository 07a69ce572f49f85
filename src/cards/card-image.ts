/**
 * Images uploaded to card templates: checked (a real JPEG, PNG, WebP or GIF by its bytes, not by
 * the declared type; size, pixel count and dimensions within limits), turned upright by their EXIF
 * orientation, stripped of all metadata (EXIF, GPS, ICC, XMP: sharp writes none unless asked),
 * scaled to fit the card and re-encoded until under the byte limit, plus a JPEG thumbnail.
 * The format is kept (a PNG stays a PNG, an animated GIF stays animated).
 */
import type { Metadata, Sharp } from 'sharp';
import { AppError } from '../http/app-error.js';
import { loadSharp } from '../infra/lazy-sharp.js';

export const CARD_IMAGE_LIMITS = {
  /** Largest upload accepted. */
  maxInputBytes: 10 * 1024 * 1024,
  /** Guards against decompression bombs (a tiny file that decodes to gigapixels). */
  maxInputPixels: 40_000_000,
  /** Smallest width and height accepted. */
  minSide: 64,
  /** The stored image fits in this box and under this size (card-schemas: ≤ 4096 px, ≤ 1 MB). */
  image: { maxWidth: 1080, maxHeight: 1920, maxBytes: 300 * 1024 },
  /** The thumbnail (card-schemas: ≤ 1024 px, ≤ 100 KB). */
  thumbnail: { maxWidth: 320, maxHeight: 320, maxBytes: 50 * 1024 },
} as const;

export const CARD_IMAGE_FORMATS = ['jpeg', 'png', 'webp', 'gif'] as const;
type ImageFormat = (typeof CARD_IMAGE_FORMATS)[number];
const MIME: Record<ImageFormat, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif' };

export interface EncodedImage {
  bytes: Buffer;
  mime: string;
  width: number;
  height: number;
}

export interface ProcessedCardImage {
  image: EncodedImage;
  thumbnail: EncodedImage;
  /** What was uploaded. */
  source: { format: ImageFormat; width: number; height: number; bytes: number; animated: boolean };
}

// Qualities tried at full size before scaling down (PNG: lossless, then a quantised palette).
const QUALITIES: Record<ImageFormat, number[]> = { jpeg: [82, 68, 55], webp: [82, 68, 55], png: [100, 80], gif: [100] };
const MAX_ATTEMPTS = 6;

function encoder(format: ImageFormat, quality: number): (s: Sharp) => Sharp {
  switch (format) {
    case 'jpeg': return (s) => s.jpeg({ quality, mozjpeg: true });
    case 'png': return (s) => s.png({ compressionLevel: 9, palette: quality < 100, quality, effort: 2 });
    case 'webp': return (s) => s.webp({ quality });
    case 'gif': return (s) => s.gif({ effort: 4 });
  }
}

/**
 * Scales into the box and re-encodes: first lower quality at full size, then smaller sizes at the
 * lowest quality, each step aimed by the last size (bytes grow about with the pixel count).
 * @throws AppError CARD_MEDIA_INVALID when even the smallest allowed size does not fit.
 */
async function fit(input: Buffer, pages: number, format: ImageFormat, box: { maxWidth: number; maxHeight: number; maxBytes: number }): Promise<EncodedImage> {
  const animated = pages > 1;
  const qualities = QUALITIES[format];
  let scale = 1;
  let attempt = 0;
  for (let qi = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const width = Math.floor(box.maxWidth * scale);
    // An animated image is one tall strip of frames: the height limit applies to each frame.
    const height = Math.floor(box.maxHeight * scale) * pages;
    if (Math.min(width, height / pages) < CARD_IMAGE_LIMITS.minSide) break;
    const sharp = await loadSharp();
    const pipeline = sharp(input, { animated, limitInputPixels: CARD_IMAGE_LIMITS.maxInputPixels })
      .autoOrient()
      .resize({ width, height, fit: 'inside', withoutEnlargement: true });
    const flat = format === 'jpeg' ? pipeline.flatten({ background: '#ffffff' }) : pipeline;
    const { data, info } = await encoder(format, qualities[qi])(flat).toBuffer({ resolveWithObject: true });
    if (data.length <= box.maxBytes) {
      // An animated image's info.height is every frame stacked; pageHeight is one frame.
      return { bytes: data, mime: MIME[format], width: info.width, height: info.pageHeight ?? info.height };
    }
    if (qi < qualities.length - 1) qi++;
    else scale = Math.min(scale * 0.9, (info.width / box.maxWidth) * Math.sqrt(box.maxBytes / data.length) * 0.9);
  }
  throw new AppError(400, 'CARD_MEDIA_INVALID', `The image cannot be made smaller than ${Math.round(box.maxBytes / 1024)} KB at a usable size; upload a simpler or smaller picture`, 'body');
}

async function thumbnailOf(input: Buffer): Promise<EncodedImage> {
  const box = CARD_IMAGE_LIMITS.thumbnail;
  const qualities = QUALITIES.jpeg;
  for (const q of qualities) {
    const sharp = await loadSharp();
    const { data, info } = await sharp(input, { limitInputPixels: CARD_IMAGE_LIMITS.maxInputPixels })
      .autoOrient()
      .resize({ width: box.maxWidth, height: box.maxHeight, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: q, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    if (data.length <= box.maxBytes || q === qualities[qualities.length - 1]) return { bytes: data, mime: MIME.jpeg, width: info.width, height: info.height };
  }
  throw new Error('unreachable');
}

/**
 * Checks, cleans and resizes an uploaded image.
 * @throws AppError CARD_MEDIA_TOO_LARGE (413), CARD_MEDIA_TYPE_NOT_ALLOWED (415), CARD_MEDIA_INVALID (400).
 */
export async function processCardImage(input: Buffer): Promise<ProcessedCardImage> {
  const limits = CARD_IMAGE_LIMITS;
  if (input.length === 0) throw new AppError(400, 'CARD_MEDIA_INVALID', 'The upload is empty: send the image bytes (or base64 JSON {"data": …})', 'body');
  if (input.length > limits.maxInputBytes) {
    throw new AppError(413, 'CARD_MEDIA_TOO_LARGE', `The image is ${(input.length / 1048576).toFixed(1)} MB; at most ${limits.maxInputBytes / 1048576} MB is accepted`, 'body');
  }
  let meta: Metadata;
  try {
    meta = await (await loadSharp())(input, { limitInputPixels: false }).metadata();
  } catch {
    throw new AppError(415, 'CARD_MEDIA_TYPE_NOT_ALLOWED', `The upload is not an image; send ${CARD_IMAGE_FORMATS.join(', ')}`, 'body');
  }
  const format = meta.format as string;
  if (!(CARD_IMAGE_FORMATS as readonly string[]).includes(format)) {
    throw new AppError(415, 'CARD_MEDIA_TYPE_NOT_ALLOWED', `${format} images are not accepted; send ${CARD_IMAGE_FORMATS.join(', ')}`, 'body');
  }
  const frameHeight = meta.pageHeight ?? meta.height ?? 0;
  const width = meta.width ?? 0;
  if (width * frameHeight > limits.maxInputPixels) {
    throw new AppError(400, 'CARD_MEDIA_INVALID', `The image is ${width}×${frameHeight} pixels; at most ${limits.maxInputPixels / 1e6} megapixels are accepted`, 'body');
  }
  if (Math.min(width, frameHeight) < limits.minSide) {
    throw new AppError(400, 'CARD_MEDIA_INVALID', `The image is ${width}×${frameHeight} pixels; both sides must be at least ${limits.minSide}`, 'body');
  }
  const pages = meta.pages ?? 1;
  try {
    const image = await fit(input, pages, format as ImageFormat, limits.image);
    const thumbnail = await thumbnailOf(input);
    return { image, thumbnail, source: { format: format as ImageFormat, width, height: frameHeight, bytes: input.length, animated: pages > 1 } };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(400, 'CARD_MEDIA_INVALID', `The image could not be decoded: ${(err as Error).message}`, 'body', undefined, { cause: err });
  }
}
