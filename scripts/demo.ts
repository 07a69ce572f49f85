/**
 * `npm run demo`: the backfill-rate demo (src/demo/). Everything it sends goes to local SMSC
 * simulators; see README "Demo". Settings: DEMO_VERIFICATIONS, DEMO_SPEED, DEMO_SEED, DEMO_EXIT,
 * plus the platform's own (PORT, DATABASE_URL, REDIS_URL, …).
 */
import { demoMain } from '../src/demo/demo-main.js';

demoMain(process.env, { out: (line) => console.log(line), log: (line) => void process.stderr.write(line + '\n') })
  .then(() => process.exit(0))
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
