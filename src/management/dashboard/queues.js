// Queues: the list (depth, rates, consumers), declaring one, and a queue's own page with
// publish, get, purge, delete and its bindings.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, enc, get } from './api.js';
import { Bindings } from './bindings.js';
import { features, num, rate } from './format.js';
import { usePoll } from './poll.js';
import { PublishForm } from './publish.js';
import { Notice, Section, Table, VhostSelect, formValues, parseArguments, sure, useAction } from './ui.js';
import { link, go } from './router.js';

export function Queues() {
  const { data, error, reload } = usePoll(() => get('/api/queues'));
  const { data: vhosts } = usePoll(() => get('/api/vhosts'));
  const [notice, run] = useAction(reload);
  const add = (e) => {
    const f = formValues(e);
    const args = parseArguments(f.arguments);
    if (f.type !== 'classic') args['x-queue-type'] = f.type;
    run(() => api('PUT', `/api/queues/${enc(f.vhost)}/${enc(f.name)}`, { durable: f.durable, auto_delete: f.auto_delete, arguments: args }),
      `Queue ${f.name} declared`);
  };
  return html`<div>
    ${error && html`<p class="notice error">${error}</p>`}
    <${Table} name="queues" rows=${data} rowKey=${(q) => `${q.vhost}|${q.name}`} empty="No queues."
      columns=${[
        ['Virtual host', (q) => q.vhost],
        ['Name', (q) => html`<a href=${link('queue', q.vhost, q.name)}>${q.name}</a>`],
        ['Type', (q) => q.type],
        ['Features', (q) => features(q)],
        ['State', (q) => q.state],
        ['Ready', (q) => num(q.messages_ready), 'n ready'],
        ['Unacked', (q) => num(q.messages_unacknowledged), 'n'],
        ['Total', (q) => num(q.messages), 'n'],
        ['Consumers', (q) => num(q.consumers), 'n'],
        ['Incoming', (q) => rate(q.message_stats, 'publish'), 'n'],
        ['Deliver / get', (q) => rate(q.message_stats, 'deliver_get'), 'n'],
        ['Ack', (q) => rate(q.message_stats, 'ack'), 'n'],
      ]} />
    <${Section} title="Add a queue" open=${false}>
      <form class="grid" data-form="add-queue" onSubmit=${add}>
        <label>Virtual host <${VhostSelect} vhosts=${vhosts} /></label>
        <label>Name <input name="name" required /></label>
        <label>Type <select name="type"><option>classic</option><option>quorum</option><option>stream</option></select></label>
        <label><input type="checkbox" name="durable" checked /> Durable</label>
        <label><input type="checkbox" name="auto_delete" /> Auto delete</label>
        <label>Arguments <textarea name="arguments" rows="2" placeholder="x-max-length=1000"></textarea></label>
        <div><button type="submit">Add queue</button></div>
      </form>
      <${Notice} notice=${notice} />
    <//>
  </div>`;
}

export function QueuePage({ vhost, name }) {
  const path = `/api/queues/${enc(vhost)}/${enc(name)}`;
  const { data: q, error, reload } = usePoll(() => get(path), [path]);
  const [notice, run] = useAction(reload);
  const [got, setGot] = useState(null);
  const purge = () => sure(`Purge queue ${name}`) && run(() => api('DELETE', `${path}/contents`), 'Queue purged');
  const remove = () => sure(`Delete queue ${name}`) && run(() => api('DELETE', path), 'Queue deleted').then((done) => done && go('queues'));
  const getMessages = async (e) => {
    const f = formValues(e);
    const messages = await run(() => api('POST', `${path}/get`, {
      count: Number(f.count), ackmode: f.ackmode, encoding: 'auto', truncate: 50000,
    }), (m) => `${m.length} message(s) fetched`);
    if (messages) setGot(messages.result);
  };
  if (q === undefined) return html`<p class=${error ? 'notice error' : 'muted'}>${error ?? 'Loading…'}</p>`;
  return html`<div data-queue=${name}>
    <h2>Queue <span class="name">${name}</span> <small>in ${vhost}</small></h2>
    ${error && html`<p class="notice error">${error}</p>`}
    <${Notice} notice=${notice} />
    <table class="facts">
      <tr><th>Type</th><td>${q.type}</td><th>Features</th><td>${features(q)}</td></tr>
      <tr><th>Ready</th><td data-fact="ready">${num(q.messages_ready)}</td><th>Unacked</th><td data-fact="unacked">${num(q.messages_unacknowledged)}</td></tr>
      <tr><th>Total</th><td data-fact="total">${num(q.messages)}</td><th>Consumers</th><td>${num(q.consumers)}</td></tr>
      <tr><th>Incoming</th><td>${rate(q.message_stats, 'publish')}</td><th>Deliver / get</th><td>${rate(q.message_stats, 'deliver_get')}</td></tr>
      <tr><th>Arguments</th><td colspan="3">${JSON.stringify(q.arguments ?? {})}</td></tr>
      <tr><th>Policy</th><td data-fact="policy">${q.policy ?? ''}</td><th>Operator policy</th><td>${q.operator_policy ?? ''}</td></tr>
      <tr><th>Effective policy</th><td colspan="3">${q.effective_policy_definition ? JSON.stringify(q.effective_policy_definition) : ''}</td></tr>
    </table>
    <${Section} title="Publish message" open=${false}>
      <p class="muted">Through the default exchange, with the queue's name as routing key.</p>
      <${PublishForm} vhost=${vhost} exchange="" routingKey=${name} after=${reload} />
    <//>
    <${Section} title="Get messages" open=${false}>
      <form class="inline" data-form="get" onSubmit=${getMessages}>
        <label>Ack mode <select name="ackmode">
          <option value="ack_requeue_true">Nack message requeue true</option>
          <option value="ack_requeue_false">Automatic ack</option>
          <option value="reject_requeue_true">Reject requeue true</option>
          <option value="reject_requeue_false">Reject requeue false</option>
        </select></label>
        <label>Messages <input name="count" type="number" min="1" value="1" /></label>
        <button type="submit">Get message(s)</button>
      </form>
      ${got && got.map((m, i) => html`<table class="facts message" data-message=${i}>
        <tr><th>Message ${i + 1}</th><td>Exchange: ${m.exchange || '(AMQP default)'}, routing key: ${m.routing_key}, redelivered: ${String(m.redelivered)}, ${m.message_count} left</td></tr>
        <tr><th>Properties</th><td>${JSON.stringify(m.properties)}</td></tr>
        <tr><th>Payload <small>${m.payload_bytes} bytes, ${m.payload_encoding}</small></th><td><pre class="payload">${m.payload}</pre></td></tr>
      </table>`)}
    <//>
    <${Section} title="Bindings" open=${false}>
      <${Bindings} vhost=${vhost} name=${name} side="destination" kind="queue" />
    <//>
    <${Section} title="Purge / delete">
      <button data-action="purge" onClick=${purge}>Purge messages</button>
      ${' '}
      <button class="danger" data-action="delete" onClick=${remove}>Delete queue</button>
    <//>
  </div>`;
}
