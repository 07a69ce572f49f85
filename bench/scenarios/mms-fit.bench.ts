/**
 * Fitting a camera photo into a 50 KB China MMS: a 4000×3000 photo-like JPEG (test/support/
 * synthetic-photo.ts: gradients, shapes, texture and noise, so it compresses like a photo, ~3 MB
 * at quality 90) composed as a one-slide message under the cn-mms-50k profile, the way a send
 * does it (composeMms: rules, SMIL, budget, fit). Same-run baseline: a bare sharp decode, resize to
 * 500×375 and JPEG at fixed quality 70 of the same file — one encode, no search — so the ratio
 * says what the search and the bookkeeping cost on top of the unavoidable decode.
 *
 * Figures: mms_fit_median_ms (p50, with p99 in the note; target ≤ 150 ms), mms_fit_bytes (the
 * whole message as the carrier counts it, PDU and part headers and SMIL included; ≤ 51,200).
 */
import { composeMms } from '../../src/channels/mms/mms-compose.js';
import { mmsProfile } from '../../src/channels/mms/mms-profiles.js';
import { loadSharp } from '../../src/infra/lazy-sharp.js';
import { syntheticPhotoJpeg } from '../../test/support/synthetic-photo.js';
import { percentile, type Results } from '../lib/results.js';

const RUNS = Number(process.env.BENCH_MMS_FIT_RUNS ?? 40);
const WARMUP = 3;
const TEXT = '【示例科技】春季新品到店，凭此彩信到店享 8 折优惠，详询 400-000-0000。拒收请回复R';

async function timed(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

export async function run(results: Results): Promise<void> {
  const photo = await syntheticPhotoJpeg({ width: 4000, height: 3000, seed: 7 });
  const profile = mmsProfile('cn-mms-50k');
  const sharp = await loadSharp();
  let composed: Awaited<ReturnType<typeof composeMms>> | undefined;
  const fit = await timed(RUNS, async () => {
    composed = await composeMms(profile, '春季新品', [{ text: TEXT, image: photo }]);
  });
  const base = await timed(RUNS, () => sharp(photo, { failOn: 'none' }).resize(500, 375).jpeg({ quality: 70 }).toBuffer());
  const c = composed!;
  const total = c.fixedBytes + Buffer.byteLength(TEXT) + Buffer.byteLength(c.subject);
  const img = c.slides[0].media[0];
  const p50 = percentile(fit, 50);
  const b50 = percentile(base, 50);
  results.add({
    name: 'mms_fit_median_ms', value: p50, unit: 'ms', baseline: b50, ratio: p50 / b50, target: '≤ 150 ms',
    note: `p99 ${percentile(fit, 99).toFixed(1)} ms (baseline p99 ${percentile(base, 99).toFixed(1)} ms); source ${photo.length} bytes 4000×3000; ${RUNS} runs`,
  });
  console.log(`    p99 ${percentile(fit, 99).toFixed(1)} ms, baseline p50 ${b50.toFixed(1)} / p99 ${percentile(base, 99).toFixed(1)} ms; picture ${img.width}×${img.height}, ${img.bytes} bytes`);
  results.add({
    name: 'mms_fit_bytes', value: total, unit: 'bytes', target: '≤ 51,200',
    note: `picture ${img.width}×${img.height} ${img.bytes} bytes; the rest is text, subject, SMIL and headers`,
  });
}
