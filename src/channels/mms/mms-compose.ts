/**
 * Composes a multimedia message under a profile: checks the slides' rules, sizes what is fixed
 * (texts, subject, SMIL, videos and audio, which are checked and never transcoded), gives what
 * remains of the profile's limit to the pictures and fits them (mms-image-fit.ts).
 *
 * The budget split: every picture that already fits an equal share untouched keeps its bytes;
 * the rest share what is left equally and are fitted in parallel. So a small logo costs what it
 * weighs and a large photo takes the remainder, and the whole message never passes the limit.
 *
 * For a template the texts hold {{variables}}: `textReserve` gives the bytes to keep for each
 * text (and the subject) once rendered, so the pictures fitted once at review leave room for any
 * recipient's values up to that reserve.
 */
import type { MmsProfile } from './mms-profiles.js';
import { sniffMedia } from './mms-media-type.js';
import { checkSlides, mmsError, MEDIA_ROLES, type MediaRole, type MmsProblem, type SlideFacts } from './mms-rules.js';
import { renderSmil, partName } from './mms-smil.js';
import { envelopeBytes, mmsMessageSize, utf8Bytes } from './mms-size.js';
import { fitImage, imageHeader, ImageFitError, keepsAsIs, type FittedImage } from './mms-image-fit.js';

export interface SlideInput {
  text: string;
  image?: Buffer;
  video?: Buffer;
  audio?: Buffer;
  durationSeconds?: number;
}

/** One body part as the gateway receives it. */
export interface MmsPart {
  name: string;
  contentType: string;
  slide: number;
  role: 'text' | MediaRole;
  bytes: Buffer;
}

/** What each slide's media became (the API's per-slide sizes). */
export interface SlideMediaReport {
  role: MediaRole;
  mime: string;
  bytes: number;
  width?: number;
  height?: number;
  /** Pictures: untouched, reencoded or first-frame; video and audio: checked. */
  outcome: FittedImage['outcome'] | 'checked';
  sourceBytes: number;
}

export interface ComposedMms {
  profile: MmsProfile['id'];
  subject: string;
  smil: string;
  /** Media parts only, in slide order (texts are added per recipient). */
  media: MmsPart[];
  slides: Array<{ text: string; media: SlideMediaReport[]; durationSeconds?: number }>;
  /** Bytes of everything but the texts and the subject (PDU header, SMIL, part headers, media). */
  fixedBytes: number;
}

export interface ComposeOptions {
  /** Bytes kept for each slide's text and for the subject instead of their current length (templates). */
  textReserve?: { subject: number; texts: readonly number[] };
}

/** Smallest share worth fitting a picture into. */
export const MIN_IMAGE_BUDGET = 2_048;

const problem = (field: string, rule: string, message: string): MmsProblem => ({ field, rule, code: 'MMS_TOO_LARGE', message });

/**
 * @throws AppError MMS_INVALID / MMS_MEDIA_TYPE_NOT_ALLOWED / MMS_TOO_LARGE naming the field, e.g. `slides.1.video`.
 */
export async function composeMms(profile: MmsProfile, subject: string, slides: readonly SlideInput[], opts: ComposeOptions = {}): Promise<ComposedMms> {
  const facts: SlideFacts[] = slides.map((s) => ({ text: s.text, durationSeconds: s.durationSeconds }));
  const unknown: MmsProblem[] = [];
  slides.forEach((s, i) => {
    for (const role of MEDIA_ROLES) {
      const bytes = s[role];
      if (!bytes) continue;
      const sniffed = sniffMedia(bytes);
      if (sniffed) facts[i][role] = sniffed;
      else unknown.push({ field: `slides.${i}.${role}`, rule: 'mediaType', code: 'MMS_MEDIA_TYPE_NOT_ALLOWED', message: 'not a media file the platform recognises (jpg, png, gif, mp4, 3gp, mp3, amr)' });
    }
  });
  const problems = [...unknown, ...checkSlides(profile, subject, facts)];
  if (problems.length) throw mmsError(problems);

  const smilSlides = facts.map((f) => ({ image: f.image && 'image/jpeg', video: f.video?.mime, audio: f.audio?.mime, durationSeconds: f.durationSeconds }));
  // Part names keep their length whatever the picture becomes (jpg/png/gif), so the SMIL's size is known now.
  let smil = renderSmil(smilSlides, profile.imageBox);
  const partCount = facts.reduce((n, f) => n + 1 + MEDIA_ROLES.filter((r) => f[r]).length, 0);
  const textBytes = opts.textReserve
    ? opts.textReserve.subject + opts.textReserve.texts.reduce((a, b) => a + b, 0)
    : utf8Bytes(subject) + slides.reduce((n, s) => n + utf8Bytes(s.text), 0);
  const envelope = envelopeBytes('', utf8Bytes(smil), partCount);
  let remaining = profile.maxBytes - envelope - textBytes;
  if (remaining < 0) {
    const longest = slides.reduce((best, s, i) => (utf8Bytes(s.text) > utf8Bytes(slides[best].text) ? i : best), 0);
    throw mmsError([problem(`slides.${longest}.text`, 'maxBytes', `the texts alone (${textBytes} bytes with the message's headers: ${envelope}) pass the ${profile.id} limit of ${profile.maxBytes} bytes`)]);
  }
  // Video and audio are sent as they are: checked, never transcoded.
  const fixed = slides.flatMap((s, i) => (['video', 'audio'] as const).filter((r) => s[r]).map((r) => ({ i, role: r, size: s[r]!.length })));
  const fixedTotal = fixed.reduce((n, f) => n + f.size, 0);
  if (fixedTotal > remaining) {
    const big = fixed.reduce((a, b) => (b.size > a.size ? b : a));
    throw mmsError([problem(`slides.${big.i}.${big.role}`, 'maxBytes',
      `the ${big.role} is ${big.size} bytes; with the rest of the message the ${profile.id} profile leaves ${Math.max(0, remaining - (fixedTotal - big.size))} bytes for it (whole message ≤ ${profile.maxBytes} bytes); send a shorter or lower-bitrate ${big.role}`)]);
  }
  remaining -= fixedTotal;

  const fitted = await fitPictures(profile, slides, remaining);
  smil = renderSmil(smilSlides.map((s, i) => ({ ...s, image: fitted.get(i)?.mime })), profile.imageBox);
  const media: MmsPart[] = [];
  const reports: ComposedMms['slides'] = slides.map((s, i) => {
    const out: SlideMediaReport[] = [];
    const img = fitted.get(i);
    if (img) {
      media.push({ name: partName(i, 'image', img.mime), contentType: img.mime, slide: i, role: 'image', bytes: img.bytes });
      out.push({ role: 'image', mime: img.mime, bytes: img.bytes.length, width: img.width, height: img.height, outcome: img.outcome, sourceBytes: img.source.bytes });
    }
    for (const role of ['video', 'audio'] as const) {
      const bytes = s[role];
      if (!bytes) continue;
      const mime = facts[i][role]!.mime;
      media.push({ name: partName(i, role, mime), contentType: mime, slide: i, role, bytes });
      out.push({ role, mime, bytes: bytes.length, outcome: 'checked', sourceBytes: bytes.length });
    }
    return { text: s.text, media: out, durationSeconds: s.durationSeconds };
  });
  const fixedBytes = mmsMessageSize({ subject: '', smilBytes: utf8Bytes(smil), parts: [...media.map((m) => ({ size: m.bytes.length })), ...slides.map(() => ({ size: 0 }))] });
  return { profile: profile.id, subject, smil, media, slides: reports, fixedBytes };
}

/** Fits every picture into its share of `budget` (see the file comment). */
async function fitPictures(profile: MmsProfile, slides: readonly SlideInput[], budget: number): Promise<Map<number, FittedImage>> {
  const pictures = slides.flatMap((s, i) => (s.image ? [{ i, bytes: s.image }] : []));
  const out = new Map<number, FittedImage>();
  if (pictures.length === 0) return out;
  const equal = Math.floor(budget / pictures.length);
  const headers = await Promise.all(pictures.map((p) => imageHeader(p.bytes).catch((err: unknown) => {
    throw mmsError([{ field: `slides.${p.i}.image`, rule: 'decodable', code: 'MMS_MEDIA_TYPE_NOT_ALLOWED', message: (err as Error).message }]);
  })));
  const keepTypes = profile.imageTypes;
  const box = profile.imageBox;
  // First pass: pictures that fit an equal share as they are keep their bytes.
  const rest: Array<{ i: number; bytes: Buffer; header: (typeof headers)[number] }> = [];
  let left = budget;
  for (const [k, p] of pictures.entries()) {
    if (keepsAsIs(headers[k], p.bytes.length, { budgetBytes: equal, box, keepTypes })) {
      const f = await fitImage(p.bytes, { budgetBytes: equal, box, keepTypes }, headers[k]);
      out.set(p.i, f);
      left -= f.bytes.length;
    } else {
      rest.push({ ...p, header: headers[k] });
    }
  }
  if (rest.length === 0) return out;
  const share = Math.floor(left / rest.length);
  if (share < MIN_IMAGE_BUDGET) {
    throw mmsError([problem(`slides.${rest[0].i}.image`, 'maxBytes', `only ${Math.max(0, share)} bytes of the ${profile.id} limit (${profile.maxBytes}) are left for this picture after the texts and other media; use fewer pictures or a larger profile`)]);
  }
  const results = await Promise.all(rest.map((p) => fitImage(p.bytes, { budgetBytes: share, box, keepTypes }, p.header).catch((err: unknown) => {
    if (err instanceof ImageFitError) {
      throw mmsError([{ field: `slides.${p.i}.image`, rule: err.rule, code: err.rule === 'maxBytes' ? 'MMS_TOO_LARGE' : 'MMS_MEDIA_TYPE_NOT_ALLOWED', message: err.message }]);
    }
    throw err;
  })));
  rest.forEach((p, k) => out.set(p.i, results[k]));
  return out;
}

