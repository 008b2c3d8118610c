// Exchanges: the list with rates, declaring one, and an exchange's page (bindings, publish, delete).
import { html } from 'htm/preact';
import { api, enc, get } from './api.js';
import { Bindings } from './bindings.js';
import { features, rate } from './format.js';
import { usePoll } from './poll.js';
import { PublishForm } from './publish.js';
import { go, link } from './router.js';
import { Notice, Section, Table, VhostSelect, formValues, parseArguments, sure, useAction } from './ui.js';

const shown = (name) => name || '(AMQP default)';

export function Exchanges() {
  const { data, error, reload } = usePoll(() => get('/api/exchanges'));
  const { data: vhosts } = usePoll(() => get('/api/vhosts'));
  const [notice, run] = useAction(reload);
  const add = (e) => {
    const f = formValues(e);
    run(() => api('PUT', `/api/exchanges/${enc(f.vhost)}/${enc(f.name)}`, {
      type: f.type, durable: f.durable, auto_delete: f.auto_delete, internal: f.internal, arguments: parseArguments(f.arguments),
    }), `Exchange ${f.name} declared`);
  };
  return html`<div>
    ${error && html`<p class="notice error">${error}</p>`}
    <${Table} name="exchanges" rows=${data} rowKey=${(x) => `${x.vhost}|${x.name}`} empty="No exchanges."
      columns=${[
        ['Virtual host', (x) => x.vhost],
        ['Name', (x) => html`<a href=${link('exchange', x.vhost, x.name === '' ? 'amq.default' : x.name)}>${shown(x.name)}</a>`],
        ['Type', (x) => x.type],
        ['Features', (x) => features(x)],
        ['In', (x) => rate(x.message_stats, 'publish_in'), 'n'],
        ['Out', (x) => rate(x.message_stats, 'publish_out'), 'n'],
      ]} />
    <${Section} title="Add an exchange" open=${false}>
      <form class="grid" data-form="add-exchange" onSubmit=${add}>
        <label>Virtual host <${VhostSelect} vhosts=${vhosts} /></label>
        <label>Name <input name="name" required /></label>
        <label>Type <select name="type"><option>direct</option><option>fanout</option><option>topic</option><option>headers</option><option>x-consistent-hash</option><option>x-random</option></select></label>
        <label><input type="checkbox" name="durable" checked /> Durable</label>
        <label><input type="checkbox" name="auto_delete" /> Auto delete</label>
        <label><input type="checkbox" name="internal" /> Internal</label>
        <label>Arguments <textarea name="arguments" rows="2" placeholder="alternate-exchange=name"></textarea></label>
        <div><button type="submit">Add exchange</button></div>
      </form>
      <${Notice} notice=${notice} />
    <//>
  </div>`;
}

export function ExchangePage({ vhost, name }) {
  const path = `/api/exchanges/${enc(vhost)}/${enc(name)}`;
  const { data: x, error } = usePoll(() => get(path), [path]);
  const [notice, run] = useAction();
  const real = name === 'amq.default' ? '' : name;
  const remove = () => sure(`Delete exchange ${name}`) && run(() => api('DELETE', path), 'Exchange deleted').then((done) => done && go('exchanges'));
  if (x === undefined) return html`<p class=${error ? 'notice error' : 'muted'}>${error ?? 'Loading…'}</p>`;
  return html`<div data-exchange=${name}>
    <h2>Exchange <span class="name">${shown(real)}</span> <small>in ${vhost}</small></h2>
    <${Notice} notice=${notice} />
    <table class="facts">
      <tr><th>Type</th><td>${x.type}</td><th>Features</th><td>${features(x)}</td></tr>
      <tr><th>In</th><td>${rate(x.message_stats, 'publish_in')}</td><th>Out</th><td>${rate(x.message_stats, 'publish_out')}</td></tr>
    </table>
    ${real !== '' && html`<${Section} title="Bindings from this exchange">
      <${Bindings} vhost=${vhost} name=${real} side="source" />
    <//>
    <${Section} title="Bindings to this exchange" open=${false}>
      <${Bindings} vhost=${vhost} name=${real} side="destination" kind="exchange" />
    <//>`}
    <${Section} title="Publish message" open=${false}>
      <${PublishForm} vhost=${vhost} exchange=${real} />
    <//>
    ${real !== '' && !real.startsWith('amq.') && html`<${Section} title="Delete">
      <button class="danger" data-action="delete" onClick=${remove}>Delete exchange</button>
    <//>`}
  </div>`;
}
