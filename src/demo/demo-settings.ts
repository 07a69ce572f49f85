/**
 * The demo's own knobs, parsed from an environment object the script passes in (the platform's
 * settings stay in src/config.ts). A bad value stops the demo naming the variable.
 */
import { z } from 'zod';

const schema = z.object({
  DEMO_VERIFICATIONS: z.coerce.number().int().min(10).max(50_000).default(600),
  /** Simulated time runs this many times faster than real time (receipts, think times, pacing). */
  DEMO_SPEED: z.coerce.number().min(0.1).max(1000).default(4),
  DEMO_SEED: z.coerce.number().int().min(0).max(2 ** 31).default(1),
  /** 1: print the report and exit instead of leaving the platform running. */
  DEMO_EXIT: z.enum(['0', '1', 'true', 'false']).default('0').transform((v) => v === '1' || v === 'true'),
});

export interface DemoSettings {
  verifications: number;
  speed: number;
  seed: number;
  exitWhenDone: boolean;
}

export function loadDemoSettings(env: Record<string, string | undefined>): DemoSettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(`Invalid demo setting: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  return { verifications: e.DEMO_VERIFICATIONS, speed: e.DEMO_SPEED, seed: e.DEMO_SEED, exitWhenDone: e.DEMO_EXIT };
}
