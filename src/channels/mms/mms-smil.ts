/**
 * The SMIL presentation of a message's slides (templates/mms/smil.hbs): one `<par dur>` per slide
 * with the picture or video in the Image region, the text in the Text region and any audio playing
 * along. Parts are referenced by name (`s1.jpg`, `s1.txt`), never by content, so the SMIL of a
 * template is the same for every recipient and is made once. Many handsets ignore SMIL and show
 * the parts in order; the part order follows the slides for them.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { extensionOf } from './mms-media-type.js';

export const MMS_TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'templates', 'mms');

/** Seconds a slide shows when the template does not say: a picture 5 s, a video 15 s. */
export const DEFAULT_SLIDE_SECONDS = { still: 5, video: 15 } as const;

export interface SmilSlide {
  /** Media of the slide by MIME type (undefined: none). */
  image?: string;
  video?: string;
  audio?: string;
  durationSeconds?: number;
}

let compiled: Handlebars.TemplateDelegate | undefined;
const template = () => (compiled ??= Handlebars.create().compile(readFileSync(join(MMS_TEMPLATES_DIR, 'smil.hbs'), 'utf8'), { strict: false }));

/** Part names of slide `i` (0-based): `s<i+1>.<ext>` and `s<i+1>.txt`. */
export function partName(i: number, role: 'text' | 'image' | 'video' | 'audio', mime = 'text/plain'): string {
  if (role === 'text') return `s${i + 1}.txt`;
  // Audio beside a picture needs a name of its own.
  return `s${i + 1}${role === 'audio' ? 'a' : ''}.${extensionOf(mime)}`;
}

export function renderSmil(slides: readonly SmilSlide[], layout: { width: number; height: number }): string {
  return template()({
    width: layout.width,
    height: layout.height,
    slides: slides.map((s, i) => ({
      dur: Math.round((s.durationSeconds ?? (s.video ? DEFAULT_SLIDE_SECONDS.video : DEFAULT_SLIDE_SECONDS.still)) * 1000),
      image: s.image && partName(i, 'image', s.image),
      video: s.video && partName(i, 'video', s.video),
      audio: s.audio && partName(i, 'audio', s.audio),
      text: partName(i, 'text'),
    })),
  });
}
