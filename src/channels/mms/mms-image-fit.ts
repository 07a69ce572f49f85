/**
 * Fits one image into a byte budget for a multimedia message: turned upright, metadata stripped,
 * drawn within the profile's box and re-encoded until it fits. Cheap by construction, because
 * campaigns and uploads fit many photos on a 2-core machine:
 *
 * - the dimensions are chosen from the budget before decoding (a photo-like JPEG costs about
 *   BYTES_PER_PIXEL at the qualities used), so libvips decodes a large JPEG with shrink-on-load
 *   (libjpeg's scaled IDCT at 1/2, 1/4 or 1/8) instead of at full size;
 * - it decodes and resizes once, to raw pixels, then only encodes: a binary search over quality
 *   (a few JPEG encodes of a small picture, a couple of ms each), and if even the lowest quality
 *   is too large, a smaller size aimed by the measured bytes per pixel.
 *
 * An image already within budget and box, in a type the profile takes, with no metadata and no
 * rotation, is left untouched (an animated GIF that fits stays animated). Anything else leaves as
 * a JPEG: an animated GIF as its first frame, transparency flattened on white (handsets show MMS
 * images on white anyway).
 */
import type { Metadata } from 'sharp';
import { loadSharp } from '../../infra/lazy-sharp.js';

export const MMS_FIT = {
  /** Guards against decompression bombs (a tiny file that decodes to gigapixels). */
  maxInputPixels: 100_000_000,
  /** Below this a picture is not worth sending: the budget is too small for it. */
  minSide: 48,
  /** Bytes per pixel of a photo-like JPEG at quality ~70 (measured on noisy photos: 0.15–0.25). */
  bytesPerPixel: 0.2,
  qualityMax: 85,
  qualityMin: 30,
  /** Stop searching once the size is within this share of the budget. */
  goodEnough: 0.9,
  searchSteps: 4,
  shrinkRounds: 3,
} as const;

export type FitOutcome = 'untouched' | 'reencoded' | 'first-frame';

export interface FittedImage {
  bytes: Buffer;
  mime: 'image/jpeg' | 'image/png' | 'image/gif';
  width: number;
  height: number;
  outcome: FitOutcome;
  /** JPEG quality used (null when untouched). */
  quality: number | null;
  source: { format: string; width: number; height: number; bytes: number; animated: boolean };
}

export interface FitRequest {
  budgetBytes: number;
  box: { width: number; height: number };
  /** Types that may leave untouched (the profile's image types). */
  keepTypes: readonly string[];
}

/** Why an image cannot be fitted; the caller turns it into an error naming the field. */
export class ImageFitError extends Error {
  constructor(readonly rule: 'decodable' | 'maxPixels' | 'maxBytes', message: string) {
    super(message);
  }
}

const MIME_OF: Record<string, FittedImage['mime']> = { jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif' };
const hasMetadata = (m: Metadata) => Boolean(m.exif || m.icc || m.xmp || m.iptc || (m.orientation && m.orientation !== 1));

/** Whether a picture leaves as it is: a kept type, within budget and box, no metadata, upright. */
export function keepsAsIs(meta: Metadata, inputBytes: number, req: FitRequest): boolean {
  const mime = MIME_OF[meta.format as string];
  const frameH = meta.pageHeight ?? meta.height ?? 0;
  return Boolean(mime) && req.keepTypes.includes(mime) && inputBytes <= req.budgetBytes
    && (meta.width ?? 0) <= req.box.width && frameH <= req.box.height && !hasMetadata(meta);
}

/** Reads an image's header only (no pixel decoding). */
export async function imageHeader(input: Buffer): Promise<Metadata> {
  try {
    return await (await loadSharp())(input, { failOn: 'none', limitInputPixels: false }).metadata();
  } catch (err) {
    throw new ImageFitError('decodable', `not a decodable image (${(err as Error).message})`);
  }
}

export async function fitImage(input: Buffer, req: FitRequest, header?: Metadata): Promise<FittedImage> {
  const meta = header ?? (await imageHeader(input));
  const format = meta.format as string;
  const pages = meta.pages ?? 1;
  const frameH = meta.pageHeight ?? meta.height ?? 0;
  const frameW = meta.width ?? 0;
  if (!frameW || !frameH) throw new ImageFitError('decodable', 'the image has no dimensions');
  if (frameW * frameH > MMS_FIT.maxInputPixels) throw new ImageFitError('maxPixels', `${frameW}×${frameH} is over ${MMS_FIT.maxInputPixels / 1e6} megapixels`);
  const source = { format, width: frameW, height: frameH, bytes: input.length, animated: pages > 1 };
  if (keepsAsIs(meta, input.length, req)) {
    return { bytes: input, mime: MIME_OF[format], width: frameW, height: frameH, outcome: 'untouched', quality: null, source };
  }
  // EXIF orientations 5–8 swap the sides once the picture is upright.
  const [w, h] = (meta.orientation ?? 1) >= 5 ? [frameH, frameW] : [frameW, frameH];
  const byBox = Math.min(1, req.box.width / w, req.box.height / h);
  const byBudget = Math.sqrt(req.budgetBytes / MMS_FIT.bytesPerPixel / (w * h));
  let scale = Math.min(byBox, byBudget);
  const sharp = await loadSharp();
  let target = dims(w, h, scale);
  // One decode: shrink-on-load picks libjpeg's 1/2, 1/4 or 1/8 scale from the target size.
  const decoded = await sharp(input, { failOn: 'none', limitInputPixels: MMS_FIT.maxInputPixels, pages: 1 })
    .autoOrient()
    .resize({ width: target.width, height: target.height, fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#ffffff' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  let raw = decoded.data;
  let info = { width: decoded.info.width, height: decoded.info.height, channels: decoded.info.channels };
  const outcome: FitOutcome = pages > 1 ? 'first-frame' : 'reencoded';
  for (let round = 0; round < MMS_FIT.shrinkRounds; round++) {
    const found = await searchQuality(raw, info, req.budgetBytes);
    if (found.fit) return { bytes: found.fit.bytes, mime: 'image/jpeg', width: info.width, height: info.height, outcome, quality: found.fit.quality, source };
    // Even the lowest quality is too large: aim a smaller size by the bytes per pixel measured.
    scale = Math.sqrt((req.budgetBytes * 0.92) / found.smallest);
    target = dims(info.width, info.height, scale);
    if (Math.min(target.width, target.height) < MMS_FIT.minSide) break;
    const smaller = await sharp(raw, { raw: info }).resize({ width: target.width, height: target.height, fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
    raw = smaller.data;
    info = { width: smaller.info.width, height: smaller.info.height, channels: smaller.info.channels };
  }
  throw new ImageFitError('maxBytes', `cannot be brought under ${req.budgetBytes} bytes at a usable size (≥ ${MMS_FIT.minSide} px a side)`);
}

function dims(w: number, h: number, scale: number) {
  return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

/**
 * The highest quality whose JPEG fits, by binary search between qualityMin and qualityMax; stops
 * early once a fit uses most of the budget. `smallest` is the size at the lowest quality tried.
 */
async function searchQuality(raw: Buffer, info: { width: number; height: number; channels: 1 | 2 | 3 | 4 }, budget: number) {
  const sharp = await loadSharp();
  const encode = (quality: number) => sharp(raw, { raw: info }).jpeg({ quality, optimiseCoding: true, chromaSubsampling: '4:2:0' }).toBuffer();
  let lo = MMS_FIT.qualityMin;
  let hi = MMS_FIT.qualityMax;
  let fit: { bytes: Buffer; quality: number } | undefined;
  let smallest = Infinity;
  // Start near the top: most pictures sized from the budget fit at a good quality.
  let q = 72;
  for (let step = 0; step < MMS_FIT.searchSteps && lo <= hi; step++) {
    const bytes = await encode(q);
    if (bytes.length <= budget) {
      if (!fit || q > fit.quality) fit = { bytes, quality: q };
      if (bytes.length >= budget * MMS_FIT.goodEnough) break;
      lo = q + 1;
    } else {
      smallest = Math.min(smallest, bytes.length);
      hi = q - 1;
    }
    q = Math.floor((lo + hi) / 2);
  }
  if (!fit && lo <= MMS_FIT.qualityMin) {
    const bytes = await encode(MMS_FIT.qualityMin);
    if (bytes.length <= budget) fit = { bytes, quality: MMS_FIT.qualityMin };
    smallest = Math.min(smallest, bytes.length);
  }
  return { fit, smallest };
}
