/**
 * A fresh PostgreSQL database for a report benchmark: created on the bench server, migrated, handed
 * to `fn` (a pool for the code under test, a plain client for bulk loading), dropped afterwards.
 */
import pg from 'pg';
import { connectPostgres, type Db } from '../../src/db/db-client.js';
import { migrate } from '../../src/db/migrate.js';

const SERVER_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function withScratchDatabase<T>(prefix: string, fn: (db: Db, seeding: pg.Client) => Promise<T>, poolSize = 2): Promise<T> {
  const dbName = `${prefix}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${dbName}`;
  const db = await connectPostgres(url.toString(), { max: poolSize });
  const seeding = new pg.Client({ connectionString: url.toString() });
  try {
    await migrate(db);
    await seeding.connect();
    return await fn(db, seeding);
  } finally {
    await seeding.end().catch(() => undefined);
    await db.close();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

/** Median wall time of `runs` calls, in ms. */
export async function timeMedian(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}
