import { startBroker } from '/work/main/dist/broker.js';
import amqp from 'amqplib';
import { pino } from 'pino';
const b = await startBroker({ port: 0, host: '127.0.0.1', ephemeral: true, definitions: '/work/main/conformance/fixtures/rabbitmq-3.10-definitions.json', logger: pino({ level: 'info' }) });
for (const [u, p] of [['fx-admin', 'admin-pw'], ['fx-producer', 'producer-pw'], ['fx-consumer', 'consumer-pw'], ['guest', 'guest']]) {
  try { const c = await amqp.connect(`amqp://${u}:${p}@127.0.0.1:${b.port}/fixture-orders`); console.log(u, 'ok'); await c.close(); } catch (e) { console.log(u, e.message); }
}
console.log([...b.broker.vhost('fixture-orders').queues.keys()]);
await b.close();
