// Policies in RabbitMQ's shape: GET /api/policies, PUT / DELETE /api/policies/{vhost}/{name}.
import { html } from 'htm/preact';
import { api, enc, get } from './api.js';
import { usePoll } from './poll.js';
import { Notice, Table, VhostSelect, formValues, sure, useAction } from './ui.js';

export function Policies({ vhosts }) {
  const { data, error, reload } = usePoll(() => get('/api/policies').catch((e) => {
    // a broker without the policies endpoints: say so rather than "Not Found"
    throw e.status === 404 ? new Error('This broker does not serve /api/policies.') : e;
  }));
  const [notice, run] = useAction(reload);
  const save = (e) => {
    const f = formValues(e);
    run(async () => {
      let definition;
      try {
        definition = JSON.parse(f.definition);
      } catch {
        throw new Error('The definition must be a JSON object, e.g. {"max-length": 1000}');
      }
      return api('PUT', `/api/policies/${enc(f.vhost)}/${enc(f.name)}`, {
        pattern: f.pattern, 'apply-to': f.apply_to, priority: Number(f.priority || 0), definition,
      });
    }, `Policy ${f.name} saved`);
  };
  const remove = (p) => sure(`Delete policy ${p.name}`)
    && run(() => api('DELETE', `/api/policies/${enc(p.vhost)}/${enc(p.name)}`), `Policy ${p.name} deleted`);
  return html`<div>
    ${error && html`<p class="notice error">${error}</p>`}
    <${Table} name="policies" rows=${error && data === undefined ? [] : data} rowKey=${(p) => `${p.vhost}|${p.name}`} empty="No policies."
      columns=${[
        ['Virtual host', (p) => p.vhost], ['Name', (p) => p.name], ['Pattern', (p) => html`<code>${p.pattern}</code>`],
        ['Apply to', (p) => p['apply-to']], ['Definition', (p) => html`<code>${JSON.stringify(p.definition)}</code>`],
        ['Priority', (p) => p.priority, 'n'],
        ['', (p) => html`<button class="danger" data-action="delete-policy" onClick=${() => remove(p)}>Delete</button>`],
      ]} />
    <form class="grid" data-form="add-policy" onSubmit=${save}>
      <label>Virtual host <${VhostSelect} vhosts=${vhosts} /></label>
      <label>Name <input name="name" required /></label>
      <label>Pattern <input name="pattern" required placeholder="^orders\\." /></label>
      <label>Apply to <select name="apply_to"><option value="queues">Queues</option><option value="exchanges">Exchanges</option><option value="all">Exchanges and queues</option></select></label>
      <label>Priority <input name="priority" type="number" value="0" /></label>
      <label>Definition <textarea name="definition" rows="2" required placeholder='{"max-length": 1000}'></textarea></label>
      <div><button type="submit">Add / update policy</button></div>
    </form>
    <${Notice} notice=${notice} />
  </div>`;
}
