/**
 * Composing a whole message under a profile: the limit covers everything, the pictures share what
 * the rest leaves, and video and audio are checked (never transcoded) with errors naming the field.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { composeMms } from '../../../src/channels/mms/mms-compose.js';
import { outgoingOf } from '../../../src/channels/mms/mms-outgoing.js';
import { MMS_PROFILES } from '../../../src/channels/mms/mms-profiles.js';
import type { AppError } from '../../../src/http/app-error.js';
import { syntheticPhotoJpeg } from '../../support/synthetic-photo.js';
import { fakeMp3, fakeMp4, tinyJpeg } from '../../support/mms-fixtures.js';

let photo: Buffer;
beforeAll(async () => {
  photo = await syntheticPhotoJpeg({ width: 1600, height: 1200, seed: 2 });
}, 20_000);

const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: AppError) => ({ code: e.code, field: e.field, rule: (e.details as Array<{ rule: string }>)[0].rule }));

describe('composing a message under a profile', () => {
  it('when two photos and a logo share 50 KB, then the whole message (headers, SMIL, texts, media) is within 51,200 bytes and the logo keeps its bytes', async () => {
    const logo = await tinyJpeg();
    const texts = ['第一张：春季新品', '第二张：门店地址', '第三张：详询 400-000-0000'];
    const c = await composeMms(MMS_PROFILES['cn-mms-50k'], '春季新品', [
      { text: texts[0], image: photo }, { text: texts[1], image: photo }, { text: texts[2], image: logo },
    ]);
    const out = outgoingOf(c, '春季新品', texts, null);
    expect(out.totalBytes).toBeLessThanOrEqual(51_200);
    expect(out.totalBytes).toBeGreaterThan(40_000);
    expect(c.slides[2].media[0]).toMatchObject({ outcome: 'untouched', bytes: logo.length });
    const [a, b] = [c.slides[0].media[0].bytes, c.slides[1].media[0].bytes];
    expect(Math.abs(a - b)).toBeLessThan(Math.max(a, b) * 0.2);
    expect(out.parts.map((p) => p.name)).toEqual(['s1.jpg', 's1.txt', 's2.jpg', 's2.txt', 's3.jpg', 's3.txt']);
  }, 20_000);

  it('when a video SMS carries a video within 1.9 MB, then it goes as is (checked), with audio on another slide', async () => {
    const video = fakeMp4(1_500_000);
    const c = await composeMms(MMS_PROFILES['cn-video-sms'], '新品视频', [{ text: '看视频', video }, { text: '配乐', audio: fakeMp3(200_000) }]);
    expect(c.media.map((m) => [m.name, m.contentType, m.bytes.length])).toEqual([['s1.mp4', 'video/mp4', 1_500_000], ['s2a.mp3', 'audio/mpeg', 200_000]]);
    expect(c.slides[0].media[0].outcome).toBe('checked');
  });

  it('when the video is too large for what the rest leaves, then MMS_TOO_LARGE names slides.N.video with rule maxBytes', async () => {
    expect(await refusal(composeMms(MMS_PROFILES['cn-video-sms'], '', [{ text: 'a' }, { text: 'b' }, { text: 'c', video: fakeMp4(1_995_000) }])))
      .toEqual({ code: 'MMS_TOO_LARGE', field: 'slides.2.video', rule: 'maxBytes' });
  });

  it('when the audio is too large for a 50 KB MMS, then MMS_TOO_LARGE names slides.N.audio', async () => {
    expect(await refusal(composeMms(MMS_PROFILES['cn-mms-50k'], '', [{ text: 'a', audio: fakeMp3(60_000) }])))
      .toEqual({ code: 'MMS_TOO_LARGE', field: 'slides.0.audio', rule: 'maxBytes' });
  });

  it('when audio leaves too little for a picture, then the picture is named with maxBytes', async () => {
    expect(await refusal(composeMms(MMS_PROFILES['cn-mms-50k'], '', [{ text: 'a', image: photo }, { text: 'b', audio: fakeMp3(50_000) }])))
      .toEqual({ code: 'MMS_TOO_LARGE', field: 'slides.0.image', rule: 'maxBytes' });
  });

  it('when a file is not media, or an MP4 is not H.264, then MMS_MEDIA_TYPE_NOT_ALLOWED names the slot', async () => {
    expect(await refusal(composeMms(MMS_PROFILES['cn-mms-50k'], '', [{ text: 'a', image: Buffer.from('not a picture at all') }])))
      .toEqual({ code: 'MMS_MEDIA_TYPE_NOT_ALLOWED', field: 'slides.0.image', rule: 'mediaType' });
    expect(await refusal(composeMms(MMS_PROFILES['cn-video-sms'], '', [{ text: 'a', video: fakeMp4(10_000, false) }])))
      .toEqual({ code: 'MMS_MEDIA_TYPE_NOT_ALLOWED', field: 'slides.0.video', rule: 'codec' });
  });

  it('when a template reserves room for variables, then the pictures leave that room', async () => {
    const reserve = { subject: 0, texts: [10_000] };
    const c = await composeMms(MMS_PROFILES['cn-mms-50k'], '', [{ text: 'hi {{name}}', image: photo }], { textReserve: reserve });
    expect(c.fixedBytes + 10_000).toBeLessThanOrEqual(51_200);
    expect(c.fixedBytes + 10_000).toBeGreaterThan(40_000);
  }, 20_000);
});
