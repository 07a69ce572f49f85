/**
 * The database engines integration tests run on: embedded PGlite always, and the PostgreSQL server
 * in DATABASE_URL when set (CI sets it). Each opened database is fresh: PGlite in memory, or a
 * schema of its own on the server, dropped at close.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connectPostgres, openPglite, type Db } from '../../src/db/db-client.js';
import { migrate } from '../../src/db/migrate.js';

export type Engine = 'pglite' | 'postgres';

export const engines: Engine[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export async function openTestDb(engine: Engine): Promise<Db & { schema?: string }> {
  if (engine === 'pglite') {
    const db = await openPglite();
    await migrate(db);
    return db;
  }
  const url = process.env.DATABASE_URL!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const db = await connectPostgres(url, { schema, max: 5 });
  await migrate(db);
  return {
    ...db,
    engine: db.engine,
    query: db.query.bind(db),
    transaction: db.transaction.bind(db),
    schema,
    async close() {
      await db.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    },
  };
}
