import { describe, expect, it } from 'vitest';
import { checkSlides, type SlideFacts } from '../../../src/channels/mms/mms-rules.js';
import { MMS_PROFILES } from '../../../src/channels/mms/mms-profiles.js';

const jpg = { kind: 'image' as const, mime: 'image/jpeg' };
const mp4 = { kind: 'video' as const, mime: 'video/mp4', h264: true };
const mp3 = { kind: 'audio' as const, mime: 'audio/mpeg' };
const cn = MMS_PROFILES['cn-mms-50k'];
const video = MMS_PROFILES['cn-video-sms'];
const rules = (profile = cn, slides: SlideFacts[], subject = '') => checkSlides(profile, subject, slides).map((p) => `${p.field} ${p.rule} ${p.code}`);

describe('MMS slide rules per profile', () => {
  it('when slides are valid, then there is no problem', () => {
    expect(rules(cn, [{ text: 'hi', image: jpg }, { text: 'there', audio: mp3 }])).toEqual([]);
    expect(rules(video, [{ text: 'watch', video: mp4 }, { text: 'pic', image: jpg }])).toEqual([]);
  });

  it('when there are no slides or more than the profile takes, then slides is named with minSlides / maxSlides', () => {
    expect(rules(cn, [])).toEqual(['slides minSlides MMS_INVALID']);
    expect(rules(video, Array.from({ length: 10 }, () => ({ text: 'x' })))).toEqual(['slides maxSlides MMS_INVALID']);
    expect(rules(cn, Array.from({ length: 10 }, () => ({ text: 'x' })))).toEqual([]);
  });

  it('when a slide has no text or a blank one, then slides.N.text is named with required', () => {
    expect(rules(cn, [{ text: 'ok' }, { text: '  ', image: jpg }])).toEqual(['slides.1.text required MMS_INVALID']);
  });

  it('when a text or the subject is too long, then maxTextChars / maxSubjectChars name it', () => {
    expect(rules(cn, [{ text: '字'.repeat(1001) }], '主'.repeat(41))).toEqual(['subject maxSubjectChars MMS_INVALID', 'slides.0.text maxTextChars MMS_INVALID']);
  });

  it('when the 50 KB profile gets a video, then slides.N.video is named with videoNotAllowed', () => {
    expect(rules(cn, [{ text: 'a' }, { text: 'b' }, { text: 'c', video: mp4 }])).toEqual(['slides.2.video videoNotAllowed MMS_MEDIA_TYPE_NOT_ALLOWED']);
  });

  it('when a medium is of a type the profile does not take, then mediaType names the slot', () => {
    expect(rules(cn, [{ text: 'a', image: { kind: 'image', mime: 'image/webp' } }])).toEqual(['slides.0.image mediaType MMS_MEDIA_TYPE_NOT_ALLOWED']);
    expect(rules(video, [{ text: 'a', audio: { kind: 'audio', mime: 'audio/amr' } }])).toEqual(['slides.0.audio mediaType MMS_MEDIA_TYPE_NOT_ALLOWED']);
    expect(rules(cn, [{ text: 'a', image: mp3 }])).toEqual(['slides.0.image mediaType MMS_MEDIA_TYPE_NOT_ALLOWED']);
  });

  it('when an MP4 video is not H.264, then codec names it', () => {
    expect(rules(video, [{ text: 'a', video: { ...mp4, h264: false } }])).toEqual(['slides.0.video codec MMS_MEDIA_TYPE_NOT_ALLOWED']);
  });

  it('when a slide has a picture and a video, or a video and audio, then oneVisual / audioWithVideo name it', () => {
    expect(rules(video, [{ text: 'a', image: jpg, video: mp4 }])).toEqual(['slides.0.video oneVisual MMS_INVALID']);
    expect(rules(video, [{ text: 'a', video: mp4, audio: mp3 }])).toEqual(['slides.0.audio audioWithVideo MMS_INVALID']);
  });

  it('when a duration is out of 1–60 s, then durationSeconds names it', () => {
    expect(rules(cn, [{ text: 'a', durationSeconds: 0 }, { text: 'b', durationSeconds: 61 }, { text: 'c', durationSeconds: 60 }]))
      .toEqual(['slides.0.durationSeconds durationSeconds MMS_INVALID', 'slides.1.durationSeconds durationSeconds MMS_INVALID']);
  });

  it('when the profiles table is read, then the documented limits hold', () => {
    expect(Object.fromEntries(Object.values(MMS_PROFILES).map((p) => [p.id, [p.maxBytes, p.maxSlides, p.videoTypes.length > 0]]))).toEqual({
      'cn-mms-50k': [51_200, 10, false], 'cn-mms-80k': [81_920, 10, false], 'cn-video-sms': [1_992_294, 9, true], 'intl-mms-300k': [307_200, 10, true],
    });
  });
});
