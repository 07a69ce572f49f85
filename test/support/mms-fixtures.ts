/**
 * Media fixtures for MMS tests, made in memory: pictures with sharp (photo-like scenes, a PNG with
 * transparency, an animated GIF), and MP4/MP3 files that carry the signatures the platform sniffs
 * (ftyp + avc1 track box; ID3 tag) padded to any size. The video and audio are not playable; the
 * platform never decodes them (checked, not transcoded), so only their bytes and size matter.
 */
import { loadSharp } from '../../src/infra/lazy-sharp.js';
import { sceneRgb } from './synthetic-photo.js';

function box(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(8 + body.length, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}

/** An MP4 of `size` bytes with an H.264 (avc1) sample entry, or without one (`h264: false`). */
export function fakeMp4(size: number, h264 = true): Buffer {
  const ftyp = box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2avc1mp41'.replace(/avc1/, h264 ? 'avc1' : 'hvc1'), 'latin1'));
  const moov = box('moov', box('trak', box('stsd', Buffer.from(h264 ? '\0\0\0\0\0\0\0\x01avc1avcC' : '\0\0\0\0\0\0\0\x01hvc1hvcC', 'latin1'))));
  const pad = Math.max(0, size - ftyp.length - moov.length - 8);
  return Buffer.concat([ftyp, moov, box('mdat', Buffer.alloc(pad, 7))]);
}

/** An MP3 of `size` bytes (ID3v2 tag, then frame-like filler). */
export function fakeMp3(size: number): Buffer {
  const b = Buffer.alloc(Math.max(size, 16), 0x55);
  b.write('ID3', 0, 'latin1');
  b[3] = 4;
  return b;
}

export async function scenePng(width: number, height: number, opts: { alpha?: boolean; seed?: number } = {}): Promise<Buffer> {
  const sharp = await loadSharp();
  const rgb = sharp(sceneRgb({ width, height, seed: opts.seed ?? 3 }), { raw: { width, height, channels: 3 } });
  if (!opts.alpha) return rgb.png().toBuffer();
  // A round badge: opaque in a circle, transparent around it.
  const mask = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) mask[y * width + x] = Math.hypot(x - width / 2, y - height / 2) < Math.min(width, height) / 2.2 ? 255 : 0;
  return rgb.joinChannel(mask, { raw: { width, height, channels: 1 } }).png().toBuffer();
}

/** An animated GIF of `frames` photo-like frames (large: GIF compresses noise badly). */
export async function animatedGif(width: number, height: number, frames = 3): Promise<Buffer> {
  const sharp = await loadSharp();
  const pngs = await Promise.all(Array.from({ length: frames }, (_, i) => sharp(sceneRgb({ width, height, seed: 10 + i }), { raw: { width, height, channels: 3 } }).png().toBuffer()));
  return sharp(pngs, { join: { animated: true } }).gif({ delay: pngs.map(() => 200) }).toBuffer();
}

/** A small flat JPEG without metadata (well under any budget). */
export async function tinyJpeg(): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp({ create: { width: 120, height: 90, channels: 3, background: { r: 200, g: 80, b: 40 } } }).jpeg({ quality: 80 }).toBuffer();
}
