/** npm run bench: prints ns/op for the codec's per-message paths. */
import { codecBenchmarks } from './codec.bench.js';
import { report } from './measure.js';

console.log(`node ${process.version}, ${new Date().toISOString()}`);
report(codecBenchmarks());
