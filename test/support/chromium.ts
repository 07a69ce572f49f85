/**
 * Headless Chromium for the browser tests: Debian's binary driven by playwright-core. A suite skips
 * itself, saying why, where the binary is missing (`.ci/run` installs it).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM);
/** For a suite's title: why it may be skipped. */
export const CHROMIUM_SKIP_NOTE = `(skipped when ${CHROMIUM} is missing: apt-get install chromium)`;

/** One browser for the enclosing describe (launched before it, closed after); call the getter in tests. */
export function useChromium(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}
