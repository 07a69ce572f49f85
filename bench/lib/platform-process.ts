/**
 * Runs the platform as a child process, as `npm start` would (so its resident set can be measured
 * on its own), against a fresh database on the local PostgreSQL server and a Redis prefix of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { freePort } from '../../src/infra/redis-bootstrap.js';
import pg from 'pg';
import { Redis } from 'ioredis';
import { deleteKeys } from './redis-keys.js';

/**
 * The V8 flags `npm start` gives the platform (package.json): a larger young generation, so the
 * many short-lived per-message objects cost fewer scavenges; 16 MB keeps the resident set under
 * 500 MB now that every channel module loads (32 MB: ~525 MB; see README).
 * BENCH_NODE_FLAGS replaces them, for experiments.
 */
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '--max-semi-space-size=16').split(' ').filter(Boolean);

export const BENCH_ADMIN_KEY = 'bench-admin-key-0123456789';
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface PlatformProcess {
  base: string;
  databaseUrl: string;
  pid: number;
  rssMb(): number;
  stop(): Promise<void>;
}

export async function startPlatformProcess(roles: string, extraEnv: Record<string, string> = {}): Promise<PlatformProcess> {
  const dbName = `bench_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  // BENCH_PGSS=1 prints the costliest statements at the end (needs pg_stat_statements preloaded
  // in the server and the extension created in its postgres database).
  if (process.env.BENCH_PGSS) {
    const c = new pg.Client({ connectionString: SERVER_URL });
    await c.connect();
    await c.query('select pg_stat_statements_reset()');
    await c.end();
  }
  const url = new URL(SERVER_URL);
  url.pathname = `/${dbName}`;
  const port = await freePort();
  const prefix = `b${Date.now().toString(36)}`;
  // BENCH_CPU_PROF=dir writes a V8 CPU profile of the platform process there (for finding hot spots).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, ...NODE_FLAGS, '--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATABASE_URL: url.toString(), REDIS_URL, REDIS_PREFIX: prefix, PORT: String(port), ROLES: roles, ADMIN_KEY: BENCH_ADMIN_KEY, LOG_LEVEL: 'warn', START_PRIVATE_REDIS: 'never', ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('API ') || out.includes('"platform started"')) {
        child.stdout!.off('data', onData);
        // BENCH_CHILD_LOG=file keeps the platform's log; otherwise it is drained and dropped.
        if (process.env.BENCH_CHILD_LOG) child.stdout!.pipe(createWriteStream(process.env.BENCH_CHILD_LOG));
        else child.stdout!.resume();
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`platform exited early (${code}): ${out}`)));
  });
  const pid = child.pid!;
  return {
    base: `http://127.0.0.1:${port}`,
    databaseUrl: url.toString(),
    pid,
    rssMb() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb / 1024;
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      child.kill('SIGKILL');
      const redis = new Redis(REDIS_URL);
      await deleteKeys(redis, prefix);
      redis.disconnect();
      const c = new pg.Client({ connectionString: SERVER_URL });
      await c.connect();
      if (process.env.BENCH_PGSS) {
        const r = await c.query(`select calls, round(total_exec_time) ms, round((total_exec_time/calls)::numeric,3) per, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 90) q from pg_stat_statements order by total_exec_time desc limit 15`);
        console.table(r.rows);
      }
      await c.query(`drop database if exists ${dbName} with (force)`);
      await c.end();
    },
  };
}
