/**
 * A clock good to ~100 ms for stamping deliveries (the consumer timeout needs no better):
 * one timer for the whole process instead of a Date.now() call per message.
 */
let now = Date.now();
const timer = setInterval(() => {
  now = Date.now();
}, 100);
timer.unref();

export function coarseNow(): number {
  return now;
}
