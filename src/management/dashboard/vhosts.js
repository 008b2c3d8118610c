// Virtual hosts: listed with their message counts, added and deleted.
import { html } from 'htm/preact';
import { api, enc } from './api.js';
import { Notice, Table, formValues, sure, useAction } from './ui.js';

export function Vhosts({ vhosts, error, reload }) {
  const [notice, run] = useAction(reload);
  const add = (e) => {
    const f = formValues(e);
    run(() => api('PUT', `/api/vhosts/${enc(f.name)}`, { description: f.description, tags: f.tags }), `Virtual host ${f.name} added`);
  };
  const remove = (v) => sure(`Delete virtual host ${v.name} and everything in it`)
    && run(() => api('DELETE', `/api/vhosts/${enc(v.name)}`), `Virtual host ${v.name} deleted`);
  return html`<div>
    ${error && html`<p class="notice error">${error}</p>`}
    <${Table} name="vhosts" rows=${vhosts} rowKey=${(v) => v.name}
      columns=${[
        ['Name', (v) => v.name],
        ['Description', (v) => v.description],
        ['Tags', (v) => (v.tags ?? []).join(', ')],
        ['Default queue type', (v) => v.default_queue_type ?? ''],
        ['', (v) => html`<button class="danger" data-action="delete-vhost" onClick=${() => remove(v)}>Delete</button>`],
      ]} />
    <form class="inline" data-form="add-vhost" onSubmit=${add}>
      <input name="name" required placeholder="name" />
      <input name="description" placeholder="description" />
      <input name="tags" placeholder="tags" />
      <button type="submit">Add virtual host</button>
    </form>
    <${Notice} notice=${notice} />
  </div>`;
}
