/**
 * Publisher confirms of one channel (confirm.select). Every publish gets the next sequence
 * number; its outcome (ack or nack) is settled when the message is safe — at once for transient
 * messages, after the covering fsync for persistent ones. Outcomes are written to the client in
 * sequence order, a run of acks as one basic.ack(multiple), at most once per microtask turn (so
 * a socket read full of publishes is answered by one ack).
 */
const PENDING = 0;
const ACK = 1;
const NACK = 2;

export interface ConfirmSink {
  ack(seq: number, multiple: boolean): void;
  nack(seq: number, multiple: boolean): void;
}

export class PublisherConfirms {
  /** outcomes[head + i] is the outcome of seq emitted + 1 + i. */
  private outcomes: number[] = [];
  private head = 0;
  private emitted = 0;
  private scheduled = false;

  constructor(private readonly sink: ConfirmSink, private readonly stats: { publishConfirmMode: number; confirm: number }) {}

  /** Assigns the sequence number of the next publish. */
  next(): number {
    this.outcomes.push(PENDING);
    this.stats.publishConfirmMode++;
    return this.emitted + this.outcomes.length - this.head;
  }

  ack(seq: number): void {
    this.settle(seq, ACK);
  }

  nack(seq: number): void {
    this.settle(seq, NACK);
  }

  /** Publishes whose confirm has not been written yet. */
  get outstanding(): number {
    return this.outcomes.length - this.head;
  }

  private settle(seq: number, outcome: number): void {
    const i = this.head + seq - this.emitted - 1;
    if (i < this.head || i >= this.outcomes.length || this.outcomes[i] !== PENDING) return;
    this.outcomes[i] = outcome;
    if (i === this.head && !this.scheduled) {
      this.scheduled = true;
      queueMicrotask(this.emit);
    }
  }

  private readonly emit = (): void => {
    this.scheduled = false;
    const outcomes = this.outcomes;
    let runStart = 0;
    let runEnd = 0;
    while (this.head < outcomes.length && outcomes[this.head] !== PENDING) {
      const seq = ++this.emitted;
      if (outcomes[this.head++] === ACK) {
        this.stats.confirm++;
        if (runStart === 0) runStart = seq;
        runEnd = seq;
      } else {
        if (runEnd > 0) this.sink.ack(runEnd, runEnd > runStart);
        runStart = runEnd = 0;
        this.sink.nack(seq, false);
      }
    }
    if (runEnd > 0) this.sink.ack(runEnd, runEnd > runStart);
    if (this.head === outcomes.length) {
      this.outcomes = [];
      this.head = 0;
    } else if (this.head > 4096 && this.head * 2 > outcomes.length) {
      this.outcomes = outcomes.slice(this.head);
      this.head = 0;
    }
  };
}
