import { startBroker } from '/work/main/dist/broker.js';
import net from 'node:net';
import { pino } from 'pino';
const d = process.argv[2];
const b = await startBroker({ port: 0, host: '127.0.0.1', ephemeral: true, handshakeTimeout: 300, tlsPort: 0, tlsCert: d + '/server.pem', tlsKey: d + '/server.key', logger: pino({ level: 'debug' }) });
const t0 = Date.now();
const s = net.connect(b.tlsPort, '127.0.0.1'); s.on('error', () => {}); s.on('close', () => console.log('tls tcp closed', Date.now() - t0));
const p = net.connect(b.port, '127.0.0.1'); p.on('error', () => {}); p.on('close', () => console.log('plain closed', Date.now() - t0));
setTimeout(async () => { await b.close(); process.exit(0); }, 7000);
