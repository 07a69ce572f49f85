import { describe, expect, it } from 'vitest';
import { renderSmil } from '../../../src/channels/mms/mms-smil.js';

describe('SMIL of the slides', () => {
  it('when slides are rendered, then each is a <par dur> with its picture or video in Image, its text in Text, and audio alongside', () => {
    const smil = renderSmil([{ image: 'image/jpeg' }, { video: 'video/mp4' }, { audio: 'audio/mpeg', durationSeconds: 8 }], { width: 640, height: 480 });
    expect(smil).toContain('<root-layout width="640" height="480"/>');
    expect(smil).toMatch(/<region id="Image"[^>]*\/>/);
    expect(smil).toMatch(/<region id="Text"[^>]*\/>/);
    const pars = [...smil.matchAll(/<par dur="(\d+)ms">([\s\S]*?)<\/par>/g)].map((m) => [m[1], m[2].replace(/\s+/g, ' ').trim()]);
    expect(pars).toEqual([
      ['5000', '<img src="s1.jpg" region="Image"/> <text src="s1.txt" region="Text"/>'],
      ['15000', '<video src="s2.mp4" region="Image"/> <text src="s2.txt" region="Text"/>'],
      ['8000', '<audio src="s3a.mp3"/> <text src="s3.txt" region="Text"/>'],
    ]);
  });

  it('when the picture type changes (png → jpg), then the SMIL keeps its size (part names are the same length)', () => {
    const a = renderSmil([{ image: 'image/png' }], { width: 640, height: 480 });
    const b = renderSmil([{ image: 'image/jpeg' }], { width: 640, height: 480 });
    expect(a).not.toEqual(b);
    expect(Buffer.byteLength(a)).toBe(Buffer.byteLength(b));
  });
});
