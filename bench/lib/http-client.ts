/** A keep-alive JSON client for load generation (no per-request connection set-up). */
import http from 'node:http';

export class JsonClient {
  private readonly agent: http.Agent;

  constructor(private readonly base: string, private readonly headers: Record<string, string> = {}, maxSockets = 64) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  request(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = http.request(this.base + path, {
        method, agent: this.agent,
        headers: { ...this.headers, ...extra, ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
