/**
 * The rules a message's slides must follow under a profile (mms-profiles.ts), checked before any
 * media is fitted. Each broken rule is a problem naming the field (`slides.2.video`), the rule and
 * the error code, so the client learns what to change and where.
 *
 * - `slides`: 1 to the profile's maxSlides (`minSlides`, `maxSlides`);
 * - `slides.N.text`: required, not blank (`required`), at most maxTextChars (`maxTextChars`);
 * - `subject`: at most maxSubjectChars (`maxSubjectChars`);
 * - `slides.N.image|video|audio`: a type the profile takes (`mediaType`); video only where the
 *   profile has video (`videoNotAllowed`) and only H.264 where it asks for MP4 (`codec`); one
 *   picture or video per slide (`oneVisual`);
 * - `slides.N.durationSeconds`: 1–60 (`durationSeconds`);
 * - sizes (`maxBytes`) are checked once the whole message is counted (mms-compose.ts).
 */
import { AppError } from '../../http/app-error.js';
import type { MmsProfile } from './mms-profiles.js';
import type { SniffedMedia } from './mms-media-type.js';

export type MmsErrorCode = 'MMS_INVALID' | 'MMS_MEDIA_TYPE_NOT_ALLOWED' | 'MMS_TOO_LARGE';

export interface MmsProblem {
  field: string;
  rule: string;
  code: MmsErrorCode;
  message: string;
}

export type MediaRole = 'image' | 'video' | 'audio';
export const MEDIA_ROLES: readonly MediaRole[] = ['image', 'video', 'audio'];

/** A slide as the rules see it: text and what its media are (sniffed from their bytes). */
export interface SlideFacts {
  text: string;
  image?: SniffedMedia;
  video?: SniffedMedia;
  audio?: SniffedMedia;
  durationSeconds?: number;
}

export function checkSlides(profile: MmsProfile, subject: string, slides: readonly SlideFacts[]): MmsProblem[] {
  const problems: MmsProblem[] = [];
  const add = (field: string, rule: string, code: MmsErrorCode, message: string) => problems.push({ field, rule, code, message });
  if (slides.length === 0) add('slides', 'minSlides', 'MMS_INVALID', 'a message needs at least one slide');
  if (slides.length > profile.maxSlides) add('slides', 'maxSlides', 'MMS_INVALID', `${slides.length} slides; the ${profile.id} profile takes at most ${profile.maxSlides}`);
  if ([...subject].length > profile.maxSubjectChars) add('subject', 'maxSubjectChars', 'MMS_INVALID', `at most ${profile.maxSubjectChars} characters`);
  slides.forEach((s, i) => {
    const at = `slides.${i}`;
    if (typeof s.text !== 'string' || s.text.trim() === '') add(`${at}.text`, 'required', 'MMS_INVALID', 'every slide needs a text');
    else if ([...s.text].length > profile.maxTextChars) add(`${at}.text`, 'maxTextChars', 'MMS_INVALID', `at most ${profile.maxTextChars} characters`);
    if (s.durationSeconds !== undefined && !(Number.isInteger(s.durationSeconds) && s.durationSeconds >= 1 && s.durationSeconds <= 60)) {
      add(`${at}.durationSeconds`, 'durationSeconds', 'MMS_INVALID', 'a whole number of seconds, 1–60');
    }
    if (s.image && s.video) add(`${at}.video`, 'oneVisual', 'MMS_INVALID', 'a slide shows one picture or one video, not both (use another slide)');
    for (const role of MEDIA_ROLES) {
      const m = s[role];
      if (!m) continue;
      const allowed = role === 'image' ? profile.imageTypes : role === 'video' ? profile.videoTypes : profile.audioTypes;
      if (role === 'video' && allowed.length === 0) {
        add(`${at}.video`, 'videoNotAllowed', 'MMS_MEDIA_TYPE_NOT_ALLOWED', `the ${profile.id} profile carries no video (use cn-video-sms or intl-mms-300k)`);
      } else if (m.kind !== role || !allowed.includes(m.mime as never)) {
        add(`${at}.${role}`, 'mediaType', 'MMS_MEDIA_TYPE_NOT_ALLOWED', `${m.mime} is not a${role === 'audio' ? 'n' : ''} ${role} type the ${profile.id} profile takes (${allowed.join(', ')})`);
      } else if (role === 'video' && m.mime === 'video/mp4' && !m.h264) {
        add(`${at}.video`, 'codec', 'MMS_MEDIA_TYPE_NOT_ALLOWED', 'MP4 video must be H.264 (no avc1 track found)');
      }
    }
    if (s.video && s.audio) add(`${at}.audio`, 'audioWithVideo', 'MMS_INVALID', 'a video slide plays its own sound; put the audio on another slide');
  });
  return problems;
}

/** The 400 for problems: the first one's code and field, all of them in details. */
export function mmsError(problems: readonly MmsProblem[]): AppError {
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more in details)` : '';
  return new AppError(400, first.code, `${first.field}: ${first.message} [rule ${first.rule}]${more}`, first.field,
    problems.map(({ field, rule, message, code }) => ({ field, rule, code, message })));
}
