/**
 * A photo-like picture made deterministically (no fixture file, no network): a sky gradient, a
 * sun, a mountain ridge, buildings with lit windows, a textured ground and sensor-like noise on
 * top. Flat colours compress to almost nothing and would make any size target trivial; this scene
 * has the edges, gradients and grain a real photo has, so JPEG sizes are realistic.
 */
import { seededRandom } from '../../src/infra/seeded-random.js';
import { loadSharp } from '../../src/infra/lazy-sharp.js';

export interface SceneOptions {
  width: number;
  height: number;
  seed?: number;
  /** Amplitude of the per-pixel noise (0–255 scale). Default 10. */
  noise?: number;
}

/** Raw RGB pixels of the scene. */
export function sceneRgb({ width, height, seed = 1, noise = 10 }: SceneOptions): Buffer {
  const rnd = seededRandom(seed);
  const px = Buffer.alloc(width * height * 3);
  const horizon = Math.floor(height * 0.55);
  const ridge = new Float64Array(width);
  const p1 = rnd() * 6, p2 = rnd() * 6;
  for (let x = 0; x < width; x++) {
    const u = x / width;
    ridge[x] = horizon - height * (0.12 + 0.08 * Math.sin(u * 7 + p1) + 0.04 * Math.sin(u * 23 + p2) + 0.015 * Math.sin(u * 97));
  }
  const buildings = Array.from({ length: 14 }, () => {
    const w = width * (0.03 + rnd() * 0.06);
    const x0 = rnd() * (width - w);
    const h = height * (0.08 + rnd() * 0.25);
    return { x0, x1: x0 + w, top: horizon - h, shade: 60 + rnd() * 80, hue: rnd() };
  });
  const sun = { x: width * (0.15 + rnd() * 0.7), y: height * 0.18, r: Math.min(width, height) * 0.06 };
  const cell = Math.max(4, Math.round(width / 200));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let r: number, g: number, b: number;
      if (y < ridge[x]) {
        const t = y / horizon;
        r = 70 + 120 * t; g = 130 + 80 * t; b = 230 - 30 * t;
        const d = Math.hypot(x - sun.x, y - sun.y);
        if (d < sun.r) { r = 255; g = 240; b = 200; } else if (d < sun.r * 3) { const k = 1 - d / (sun.r * 3); r += 90 * k; g += 60 * k; }
      } else if (y < horizon) {
        const t = (y - ridge[x]) / Math.max(1, horizon - ridge[x]);
        r = 60 + 30 * t; g = 90 + 20 * t; b = 80 + 10 * t;
      } else {
        const t = (y - horizon) / (height - horizon);
        const tex = 18 * Math.sin(x * 0.05 + Math.sin(y * 0.03) * 3) * Math.sin(y * 0.11);
        r = 90 + 50 * t + tex; g = 120 + 30 * t + tex; b = 50 + 20 * t;
      }
      for (const bd of buildings) {
        if (x >= bd.x0 && x < bd.x1 && y >= bd.top && y < horizon) {
          const window = Math.floor((x - bd.x0) / cell) % 3 === 1 && Math.floor((y - bd.top) / cell) % 4 === 1;
          r = window ? 250 : bd.shade + 40 * bd.hue; g = window ? 220 : bd.shade; b = window ? 120 : bd.shade + 40 * (1 - bd.hue);
          break;
        }
      }
      const n = (rnd() - 0.5) * 2 * noise;
      const i = (y * width + x) * 3;
      px[i] = clamp(r + n); px[i + 1] = clamp(g + n); px[i + 2] = clamp(b + n);
    }
  }
  return px;
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/** The scene as a JPEG (quality 90, like a phone camera's). */
export async function syntheticPhotoJpeg(opts: SceneOptions, jpeg: { quality?: number; withExif?: boolean } = {}): Promise<Buffer> {
  const sharp = await loadSharp();
  let s = sharp(sceneRgb(opts), { raw: { width: opts.width, height: opts.height, channels: 3 } });
  if (jpeg.withExif) s = s.withExif({ IFD0: { Make: 'TestCam', Model: 'Synthetic 1', Copyright: 'GPS-and-owner-data' } });
  return s.jpeg({ quality: jpeg.quality ?? 90 }).toBuffer();
}
