import { startBroker } from '/work/main/dist/broker.js';
import amqp from 'amqplib';
import { pino } from 'pino';
const b = await startBroker({ port: 0, host: '127.0.0.1', ephemeral: true, logger: pino({ level: 'info' }) });
b.broker.addUser('bob', { password: 'pw' });
b.broker.setPermissions('bob', '/', { configure: '.*', write: '.*', read: '.*' });
const c = await amqp.connect(`amqp://bob:pw@127.0.0.1:${b.port}/`);
c.on('error', (e) => console.log('ERROR', e.message));
c.on('close', (e) => console.log('CLOSE', e?.message));
b.broker.deleteUser('bob');
await new Promise((r) => setTimeout(r, 500));
try { await amqp.connect(`amqp://bob:pw@127.0.0.1:${b.port}/nope`); } catch (e) { console.log('CONNECT', e.message); }
b.broker.addUser('bob', { password: 'pw' });
b.broker.setPermissions('bob', '/', { configure: '.*', write: '.*', read: '.*' });
try { await amqp.connect(`amqp://bob:pw@127.0.0.1:${b.port}/nope`); } catch (e) { console.log('CONNECT', e.message); }
await b.close();
