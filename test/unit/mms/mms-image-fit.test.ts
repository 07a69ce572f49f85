/**
 * Picture fitting: every output within its budget and box, small pictures left alone, metadata
 * gone, animated GIFs reduced to their first frame, and the fitted photo still recognisable.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { fitImage, MMS_FIT } from '../../../src/channels/mms/mms-image-fit.js';
import { MMS_IMAGE_TYPES } from '../../../src/channels/mms/mms-profiles.js';
import { loadSharp } from '../../../src/infra/lazy-sharp.js';
import { syntheticPhotoJpeg } from '../../support/synthetic-photo.js';
import { animatedGif, scenePng, tinyJpeg } from '../../support/mms-fixtures.js';

const box = { width: 640, height: 480 };
const fit = (input: Buffer, budgetBytes: number) => fitImage(input, { budgetBytes, box, keepTypes: MMS_IMAGE_TYPES });

/** Both pictures as 64×48 grayscale, then PSNR in dB (higher = more alike). */
async function psnr(a: Buffer, b: Buffer): Promise<number> {
  const sharp = await loadSharp();
  const gray = (x: Buffer) => sharp(x).resize(64, 48, { fit: 'fill' }).flatten({ background: '#ffffff' }).grayscale().raw().toBuffer();
  const [ga, gb] = await Promise.all([gray(a), gray(b)]);
  let se = 0;
  for (let i = 0; i < ga.length; i++) se += (ga[i] - gb[i]) ** 2;
  const mse = se / ga.length;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}
/** "Still recognisable": a fitted picture scores above this against its source; an unrelated one below. */
const RECOGNISABLE_DB = 30; // measured: fitted ~40 dB, an unrelated scene ~21 dB, the mirror image ~21 dB

let photo: Buffer;
let photoWithExif: Buffer;

beforeAll(async () => {
  photo = await syntheticPhotoJpeg({ width: 2400, height: 1800, seed: 5 });
  photoWithExif = await syntheticPhotoJpeg({ width: 900, height: 600, seed: 6 }, { withExif: true });
}, 30_000);

describe('fitting a picture into a byte budget', () => {
  it('when a large photo is fitted to several budgets, then each output is a JPEG within the budget and the box', async () => {
    for (const budget of [8_000, 20_000, 48_000, 90_000]) {
      const f = await fit(photo, budget);
      expect(f.bytes.length, `budget ${budget}`).toBeLessThanOrEqual(budget);
      expect(f.mime).toBe('image/jpeg');
      expect(f.width).toBeLessThanOrEqual(box.width);
      expect(f.height).toBeLessThanOrEqual(box.height);
      expect(f.outcome).toBe('reencoded');
      // The budget is used, not wasted: the picture takes a fair share of what it was given.
      expect(f.bytes.length).toBeGreaterThan(budget * 0.4);
    }
  });

  it('when a PNG with transparency is fitted, then it fits the budget as a JPEG with the transparent area on white', async () => {
    const png = await scenePng(1200, 1200, { alpha: true });
    expect(png.length).toBeGreaterThan(30_000);
    const f = await fit(png, 30_000);
    expect(f.bytes.length).toBeLessThanOrEqual(30_000);
    const sharp = await loadSharp();
    const { data, info } = await sharp(f.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(3);
    expect([...data.subarray(0, 3)].every((v) => v > 240)).toBe(true); // a corner, outside the badge: white
  });

  it('when an animated GIF does not fit, then its first frame is sent as a single JPEG within budget', async () => {
    const gif = await animatedGif(480, 360, 3);
    expect(gif.length).toBeGreaterThan(25_000);
    const f = await fit(gif, 25_000);
    expect(f.outcome).toBe('first-frame');
    expect(f.bytes.length).toBeLessThanOrEqual(25_000);
    const meta = await (await loadSharp())(f.bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.pages ?? 1).toBe(1);
    expect(f.source.animated).toBe(true);
  });

  it('when a small picture already fits with no metadata, then its bytes are left untouched', async () => {
    const tiny = await tinyJpeg();
    const f = await fit(tiny, 20_000);
    expect(f.outcome).toBe('untouched');
    expect(f.bytes.equals(tiny)).toBe(true);
  });

  it('when a picture carries EXIF, then the output has none (even when it was small enough)', async () => {
    const sharp = await loadSharp();
    expect((await sharp(photoWithExif).metadata()).exif).toBeDefined();
    const f = await fit(photoWithExif, photoWithExif.length + 10_000);
    expect(f.outcome).toBe('reencoded');
    const meta = await sharp(f.bytes).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(f.bytes.includes('TestCam')).toBe(false);
  });

  it('when the budget is hopeless, then it says so instead of sending a postage stamp', async () => {
    await expect(fit(photo, 200)).rejects.toMatchObject({ rule: 'maxBytes' });
    expect(MMS_FIT.minSide).toBeGreaterThan(16);
  });

  it('when a 4000×3000 photo is fitted to 50 KB, then it is still recognisable (PSNR above the threshold) and an unrelated picture is not', async () => {
    const big = await syntheticPhotoJpeg({ width: 4000, height: 3000, seed: 7 });
    const f = await fit(big, 50_000);
    expect(f.bytes.length).toBeLessThanOrEqual(50_000);
    const same = await psnr(big, f.bytes);
    const unrelated = await psnr(big, await syntheticPhotoJpeg({ width: 800, height: 600, seed: 99 }));
    const flipped = await psnr(big, await (await loadSharp())(f.bytes).flop().toBuffer());
    expect(same).toBeGreaterThan(RECOGNISABLE_DB);
    expect(unrelated).toBeLessThan(RECOGNISABLE_DB);
    expect(flipped).toBeLessThan(RECOGNISABLE_DB);
  }, 30_000);
});
