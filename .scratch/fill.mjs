// publish 64 KiB persistent messages with confirms until no confirm arrives for 3 s; print counts
import amqp from 'amqplib';
const port = process.argv[2];
const c = await amqp.connect(`amqp://guest:guest@127.0.0.1:${port}/?heartbeat=0`);
let blocked = 0;
c.connection.on('blocked', () => blocked++);
const ch = await c.createConfirmChannel();
await ch.assertQueue('fill', { durable: true });
let acked = 0, nacked = 0, sent = 0, last = Date.now();
const body = Buffer.alloc(64 * 1024, 7);
while (Date.now() - last < 3000) {
  if (sent - acked - nacked < 50) {
    const n = sent++;
    ch.sendToQueue('fill', body, { persistent: true, messageId: String(n) }, (err) => { if (err) nacked++; else acked++; last = Date.now(); });
  } else await new Promise((r) => setTimeout(r, 5));
}
console.log(JSON.stringify({ sent, acked, nacked, blocked }));
process.exit(0);
