import { Readable } from 'node:stream';

/**
 * A request body read chunk by chunk by whoever iterates it, that can afterwards be read to its
 * end and thrown away. An HTTP answer sent before the client has finished sending would reset
 * the connection under it (the client sees no answer at all), so a reader that stops early
 * (a malformed line, a day already loaded) drains the rest before answering. Iterating never
 * destroys the stream: breaking out of a loop over it leaves the rest to drain().
 */
export class DrainableBody implements AsyncIterable<Buffer> {
  private readonly source: AsyncIterator<Buffer>;
  private ended = false;

  constructor(
    stream: Readable,
    private readonly drainLimit: number,
  ) {
    this.source = stream[Symbol.asyncIterator]();
  }

  /** Once reading is over: what the client still sends is read and dropped, up to the drain limit. */
  async finish(): Promise<void> {
    await this.drain(this.drainLimit);
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return { next: () => this.next() };
  }

  /**
   * Reads and discards the rest, up to `limit` more bytes. Past it, or if the client fails, it
   * stops reading and returns false: the caller then closes the connection after answering.
   */
  async drain(limit: number): Promise<boolean> {
    let seen = 0;
    try {
      for (;;) {
        const next = await this.next();
        if (next.done) return true;
        seen += next.value.length;
        if (seen > limit) break;
      }
    } catch {
      // The client went away: nothing left to drain.
    }
    return false;
  }

  private async next(): Promise<IteratorResult<Buffer>> {
    if (this.ended) return { done: true, value: undefined };
    const next = await this.source.next();
    if (next.done) this.ended = true;
    return next;
  }
}
