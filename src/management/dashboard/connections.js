// Connections (closable) and channels, read from /api/connections and /api/channels.
import { html } from 'htm/preact';
import { api, enc, get } from './api.js';
import { bytes, num, rate } from './format.js';
import { usePoll } from './poll.js';
import { Notice, Table, sure, useAction } from './ui.js';

export function Connections() {
  const { data, error, reload } = usePoll(() => get('/api/connections'));
  const [notice, run] = useAction(reload);
  const close = (c) => {
    if (!sure(`Close connection ${c.name}`)) return;
    // the reason reaches the client in its connection.close (320 CONNECTION_FORCED)
    run(() => api('DELETE', `/api/connections/${enc(c.name)}`, undefined, { 'x-reason': 'Closed via management plugin' }),
      `Connection ${c.name} closed`);
  };
  return html`<div>
    <${Notice} notice=${notice} />
    ${error && html`<p class="notice error">${error}</p>`}
    <${Table} name="connections" rows=${data} rowKey=${(c) => c.name} empty="No connections."
      columns=${[
        ['Name', (c) => html`${c.name}${c.user_provided_name ? html`<br /><small>${c.user_provided_name}</small>` : ''}`],
        ['Virtual host', (c) => c.vhost],
        ['User', (c) => c.user],
        ['State', (c) => c.state],
        ['TLS', (c) => (c.ssl ? '●' : '○')],
        ['Protocol', (c) => c.protocol],
        ['Channels', (c) => num(c.channels), 'n'],
        ['Heartbeat', (c) => `${c.timeout}s`, 'n'],
        ['Received', (c) => bytes(c.recv_oct), 'n'],
        ['Sent', (c) => bytes(c.send_oct), 'n'],
        ['', (c) => html`<button class="danger" data-action="close" onClick=${() => close(c)}>Close</button>`],
      ]} />
  </div>`;
}

export function Channels() {
  const { data, error } = usePoll(() => get('/api/channels'));
  return html`<div>
    ${error && html`<p class="notice error">${error}</p>`}
    <${Table} name="channels" rows=${data} rowKey=${(c) => c.name} empty="No channels."
      columns=${[
        ['Channel', (c) => c.name],
        ['Virtual host', (c) => c.vhost],
        ['User', (c) => c.user],
        ['Mode', (c) => [c.confirm ? 'C' : '', c.transactional ? 'T' : ''].join(' ')],
        ['State', (c) => c.state],
        ['Consumers', (c) => num(c.consumer_count), 'n'],
        ['Prefetch', (c) => (c.prefetch_count ? num(c.prefetch_count) : ''), 'n'],
        ['Unacked', (c) => num(c.messages_unacknowledged), 'n'],
        ['Publish', (c) => rate(c.message_stats, 'publish'), 'n'],
        ['Confirm', (c) => rate(c.message_stats, 'confirm'), 'n'],
        ['Deliver / get', (c) => rate(c.message_stats, 'deliver_get'), 'n'],
        ['Ack', (c) => rate(c.message_stats, 'ack'), 'n'],
      ]} />
  </div>`;
}
