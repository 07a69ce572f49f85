/**
 * Natural batching for single sends: a request that arrives while earlier ones are being stored
 * waits for the next round and is stored together with everything else that arrived meanwhile.
 * Under light load each request goes alone at once (no added latency); under heavy load the
 * round trips to Redis and PostgreSQL are shared by many requests instead of paid per message.
 */
import { acceptMany, type AcceptDeps, type AcceptRequest, type AcceptResult } from './accept-messages.js';

interface Waiting {
  req: AcceptRequest;
  resolve: (r: AcceptResult) => void;
  reject: (e: unknown) => void;
}

export class AcceptCoalescer {
  private waiting: Waiting[] = [];
  private rounds = 0;

  /**
   * @param maxRounds rounds in flight at once. One measured best at 500 OTP/s (p99 submit latency
   *   14–28 ms against 39–55 ms with two): fewer, larger rounds cost less CPU per request, and the
   *   CPU is what the requests queue for.
   * @param maxPerRound requests stored together at most
   */
  constructor(private readonly deps: AcceptDeps, private readonly maxRounds = 1, private readonly maxPerRound = 500) {}

  accept(req: AcceptRequest): Promise<AcceptResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ req, resolve, reject });
      if (this.rounds < this.maxRounds) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.rounds++;
    try {
      while (this.waiting.length > 0) {
        const round = this.waiting.splice(0, this.maxPerRound);
        try {
          const outcomes = await acceptMany(this.deps, round.map((w) => w.req));
          outcomes.forEach((o, i) => (o instanceof Error ? round[i].reject(o) : round[i].resolve(o)));
        } catch (err) {
          for (const w of round) w.reject(err);
        }
      }
    } finally {
      this.rounds--;
    }
  }
}
