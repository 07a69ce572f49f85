// `npm test`: the whole vitest suite, then one plain summary line ("N passed, N failed").
// Database tests run on embedded PGlite and, when DATABASE_URL is set, again on that server.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = join(mkdtempSync(join(tmpdir(), 'sms-tests-')), 'results.json');
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...process.argv.slice(2)];
const r = spawnSync('npx', args, { stdio: 'inherit', env: process.env });
if (existsSync(out)) {
  const res = JSON.parse(readFileSync(out, 'utf8'));
  const engines = process.env.DATABASE_URL ? 'PGlite + PostgreSQL server' : 'PGlite only (set DATABASE_URL to add a server)';
  console.log(`\ndatabase engines: ${engines}`);
  console.log(`tests: ${res.numPassedTests} passed, ${res.numFailedTests} failed, ${res.numPendingTests + (res.numTodoTests ?? 0)} skipped`);
}
process.exit(r.status ?? 1);
