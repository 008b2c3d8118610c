/**
 * npm run fuzz -- --cases N --seed S [--only K] [--concurrency C]
 * Prints progress per batch and a summary (JSON last); exits 1 on a crash, a hang, a 541 or a
 * failed round trip, after printing the seed and index of each (replay one with --only).
 */
import { runFuzz } from './fuzz.js';

function option(name: string, fallback?: number): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) {
    console.error(`--${name} needs a non-negative integer`);
    process.exit(2);
  }
  return v;
}

const summary = await runFuzz({
  cases: option('cases', 10_000) as number,
  seed: option('seed', Date.now() % 1_000_000) as number,
  only: option('only'),
  concurrency: option('concurrency', 64),
  log: (line) => console.log(line),
});
const { outcomes, odd, ...rest } = summary;
console.log('outcomes:');
for (const [k, v] of Object.entries(outcomes).sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(24)} ${v}`);
for (const o of odd) console.log(`ODD ${o.outcome}: replay with npm run fuzz -- --seed ${o.seed} --only ${o.index}`);
console.log(JSON.stringify({ ...rest, outcomes, odd: odd.length }));
process.exit(odd.length > 0 || summary.crashes > 0 ? 1 : 0);
