// Bindings of one exchange (as source) or one queue / exchange (as destination): listed,
// added and removed through /api/bindings.
import { html } from 'htm/preact';
import { api, enc, get } from './api.js';
import { usePoll } from './poll.js';
import { Notice, Table, formValues, parseArguments, useAction } from './ui.js';

/**
 * `side`: 'source' lists the exchange `name`'s bindings and adds to a destination;
 * 'destination' lists those to the queue or exchange `name` (`kind` 'queue' | 'exchange') and
 * adds from a source exchange.
 */
export function Bindings({ vhost, name, side, kind }) {
  const { data, error, reload } = usePoll(() => get(`/api/bindings/${enc(vhost)}`), [vhost, name]);
  const [notice, run] = useAction(reload);
  const rows = data?.filter((b) => (side === 'source' ? b.source === name && name !== ''
    : b.destination === name && b.destination_type === kind));
  const letter = (type) => (type === 'queue' ? 'q' : 'e');
  const path = (b) => `/api/bindings/${enc(vhost)}/e/${enc(b.source)}/${letter(b.destination_type)}/${enc(b.destination)}`;
  const unbind = (b) => run(() => api('DELETE', `${path(b)}/${enc(b.properties_key)}`), 'Binding removed');
  const add = (e) => {
    const f = formValues(e);
    const b = side === 'source'
      ? { source: name, destination: f.other, destination_type: f.type }
      : { source: f.other, destination: name, destination_type: kind };
    run(() => api('POST', path(b), { routing_key: f.routing_key, arguments: parseArguments(f.arguments) }), 'Binding added');
  };
  return html`<div>
    ${error && html`<p class="notice error">${error}</p>`}
    <${Table} name="bindings" rows=${rows} rowKey=${(b) => `${b.source}|${b.destination_type}|${b.destination}|${b.properties_key}`}
      empty="No bindings."
      columns=${[
        [side === 'source' ? 'To' : 'From', (b) => (side === 'source' ? `${b.destination} (${b.destination_type})` : b.source || '(AMQP default)')],
        ['Routing key', (b) => b.routing_key],
        ['Arguments', (b) => JSON.stringify(b.arguments ?? {})],
        ['', (b) => (b.source === '' ? html`<small class="muted">implicit</small>`
          : html`<button data-action="unbind" onClick=${() => unbind(b)}>Unbind</button>`)],
      ]} />
    <form class="inline" data-form="bind" onSubmit=${add}>
      ${side === 'source' ? html`<select name="type"><option value="queue">To queue</option><option value="exchange">To exchange</option></select>`
        : html`<span>From exchange</span>`}
      <input name="other" required placeholder=${side === 'source' ? 'destination' : 'exchange'} />
      <input name="routing_key" placeholder="routing key" />
      <textarea name="arguments" rows="1" placeholder="arguments: key=value"></textarea>
      <button type="submit">Bind</button>
    </form>
    <${Notice} notice=${notice} />
  </div>`;
}
