import amqp from 'amqplib';
const c = await amqp.connect(`amqp://guest:guest@127.0.0.1:${process.argv[2]}/?heartbeat=0`);
const ch = await c.createChannel();
const take = Number(process.argv[3] ?? 0);
const q = await ch.checkQueue('fill');
let got = 0; const ids = new Set(); let dups = 0;
if (take > 0) { for (let i = 0; i < take; i++) { const m = await ch.get('fill', { noAck: true }); if (!m) break; got++; } }
console.log(JSON.stringify({ messageCount: q.messageCount, consumed: got }));
await c.close();
