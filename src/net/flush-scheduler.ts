/**
 * Batches socket writes to one per connection per event-loop turn: writers that produced output
 * during this turn are flushed together from a single setImmediate, after the poll phase has
 * handled every readable socket — so a burst of frames in one turn becomes one writev.
 */
export interface Flushable {
  flush(): void;
}

export class FlushScheduler {
  private dirty: Flushable[] = [];
  private pending = false;

  schedule(f: Flushable): void {
    this.dirty.push(f);
    if (!this.pending) {
      this.pending = true;
      setImmediate(this.run);
    }
  }

  private readonly run = (): void => {
    this.pending = false;
    const batch = this.dirty;
    this.dirty = [];
    for (const f of batch) f.flush();
  };
}

export const defaultFlushScheduler = new FlushScheduler();
