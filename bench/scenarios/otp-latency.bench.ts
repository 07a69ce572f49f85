/** Placeholder replaced below. */
import type { Results } from '../lib/results.js';
export async function run(_results: Results): Promise<void> {}
