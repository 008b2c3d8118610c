import amqp from 'amqplib';
const api = async (method, path, body) => {
  const r = await fetch(`http://127.0.0.1:15672/api${path}`, { method, headers: { authorization: 'Basic ' + Buffer.from('guest:guest').toString('base64'), 'content-type': 'application/json' }, body: body && JSON.stringify(body) });
  if (r.status >= 300) console.log(method, path, r.status, await r.text());
};
const url = process.env.URL ?? 'amqp://%s:pw@127.0.0.1:5672/%v';
const V = 'probe-v', U = 'probe-u';
await api('PUT', `/vhosts/${V}`, {});
await api('PUT', `/users/${U}`, { password: 'pw', tags: '' });
await api('PUT', `/permissions/${V}/${U}`, { configure: '^cfg', write: '^wr', read: '^rd' });
await api('PUT', `/permissions/${V}/guest`, { configure: '.*', write: '.*', read: '.*' });
await api('PUT', `/topic-permissions/${V}/${U}`, { exchange: 'amq.topic', write: '^w\\.', read: '^r\\.' });
const conn = (u) => amqp.connect(url.replace('%s', u).replace('%v', V).replace(':pw', u === 'guest' ? ':guest' : ':pw'));
const admin = await conn('guest');
const ach = await admin.createChannel();
await ach.assertQueue('cfgq'); await ach.assertQueue('rdq'); await ach.assertQueue('wrq'); await ach.assertQueue('other');
await ach.assertExchange('wrx', 'direct'); await ach.assertExchange('rdx', 'direct'); await ach.assertExchange('otherx', 'direct');
const c = await conn(U);
c.on('error', () => {});
async function tryit(name, f) {
  const ch = await c.createChannel();
  ch.on('error', () => {});
  let res;
  try { await f(ch); res = 'ok'; } catch (e) { res = e.message; }
  console.log(name.padEnd(40), '→', res);
  try { await ch.close(); } catch {}
}
await tryit('declare queue other', (ch) => ch.assertQueue('other'));
await tryit('declare queue passive rdq', (ch) => ch.checkQueue('rdq'));
await tryit('declare queue passive other', (ch) => ch.checkQueue('other'));
await tryit('declare queue cfgx dlx otherx', (ch) => ch.assertQueue('cfgnew', { arguments: { 'x-dead-letter-exchange': 'otherx' } }));
await tryit('declare exchange cfgx ae otherx', (ch) => ch.assertExchange('cfgx', 'direct', { arguments: { 'alternate-exchange': 'otherx' } }));
await tryit('delete queue other', (ch) => ch.deleteQueue('other'));
await tryit('bind other<-rdx', (ch) => ch.bindQueue('other', 'rdx', 'k'));
await tryit('bind wrq<-otherx', (ch) => ch.bindQueue('wrq', 'otherx', 'k'));
await tryit('bind wrq<-amq.topic x.y', (ch) => ch.bindQueue('wrq', 'amq.topic', 'x.y'));
await tryit('publish otherx', async (ch) => { ch.publish('otherx', 'k', Buffer.from('')); await ch.checkExchange('amq.direct'); });
await tryit('publish default', async (ch) => { ch.publish('', 'k', Buffer.from('')); await ch.checkExchange('amq.direct'); });
await tryit('publish amq.topic x.y (no write)', async (ch) => { ch.publish('amq.topic', 'x.y', Buffer.from('')); await ch.checkExchange('amq.direct'); });
await tryit('get other', (ch) => ch.get('other'));
await tryit('purge other', (ch) => ch.purgeQueue('other'));
await c.close();
try { await amqp.connect(url.replace('%s', U).replace('%v', 'nope')); } catch (e) { console.log('open nope', e.message); }
await api('PUT', `/vhost-limits/${V}/max-queues`, { value: 4 });
await tryit2();
async function tryit2() {
  const ch = await admin.createChannel(); ch.on('error', () => {});
  try { await ch.assertQueue('overlimit'); console.log('limit ok?'); } catch (e) { console.log('max-queues', e.message); }
}
await admin.close();
await api('DELETE', `/vhosts/${V}`); await api('DELETE', `/users/${U}`);
