/** BENCH_TRACE=1: prints, every second, how many messages sit in each stage (for finding the slow one). */
import pg from 'pg';

export async function traceStages(databaseUrl: string, callbacks: () => number) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const start = Date.now();
  const timer = setInterval(async () => {
    const m = await client.query(`select status, count(*)::int n from messages group by status order by status`);
    const r = await client.query(`select state, count(*)::int n from reports group by state order by state`);
    const fmt = (rows: Array<{ n: number }>, key: string) => rows.map((x: any) => `${x[key]}=${x.n}`).join(' ');
    console.log(`  t=${((Date.now() - start) / 1000).toFixed(1)}s messages[${fmt(m.rows, 'status')}] reports[${fmt(r.rows, 'state')}] callbacks=${callbacks()}`);
  }, 1000);
  return { stop: async () => { clearInterval(timer); await client.end(); } };
}
