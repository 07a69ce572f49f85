/**
 * Zero-setup Redis: use REDIS_URL when it answers; otherwise, when a redis-server binary is on the
 * PATH, start a private one (no persistence, loopback only, a free port) for this process's
 * lifetime; otherwise stop with the exact install command.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export async function redisAnswers(url: string, timeoutMs = 1_500): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** A TCP port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function ensureRedis(url: string): Promise<{ url: string; child?: ChildProcess; note?: string }> {
  if (await redisAnswers(url)) return { url };
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const binary = which.stdout.trim();
  if (!binary) {
    throw new Error(
      `No Redis answers at ${url} and no redis-server is installed.\n` +
        'Install one (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis) ' +
        'or point REDIS_URL at a running Redis.',
    );
  }
  const port = await freePort();
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const privateUrl = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(privateUrl, 200)) return { url: privateUrl, child, note: `started a private redis-server on port ${port} (no persistence)` };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error(`Started ${binary} on port ${port} but it never answered`);
}
