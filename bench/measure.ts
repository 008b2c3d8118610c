/** A minimal ns/op harness: warm up, then time batches and report the median batch. */
export interface Result {
  name: string;
  nsPerOp: number;
}

export function measure(name: string, fn: () => void, opts: { batch?: number; batches?: number } = {}): Result {
  const batch = opts.batch ?? 100_000;
  const batches = opts.batches ?? 15;
  for (let i = 0; i < batch * 3; i++) fn(); // let the JIT settle
  const samples: number[] = [];
  for (let b = 0; b < batches; b++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) fn();
    samples.push(Number(process.hrtime.bigint() - t0) / batch);
  }
  samples.sort((x, y) => x - y);
  return { name, nsPerOp: samples[Math.floor(samples.length / 2)] };
}

export function report(results: Result[]): void {
  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) console.log(`${r.name.padEnd(width)}  ${r.nsPerOp.toFixed(1).padStart(8)} ns/op`);
}
