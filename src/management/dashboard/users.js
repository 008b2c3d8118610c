// Users (add, delete) and their permissions per virtual host (set, clear).
import { html } from 'htm/preact';
import { api, enc, get } from './api.js';
import { usePoll } from './poll.js';
import { Notice, Section, Table, VhostSelect, formValues, sure, useAction } from './ui.js';

export function Users({ vhosts }) {
  const { data, error, reload } = usePoll(() => get('/api/users'));
  const [notice, run] = useAction(reload);
  const add = (e) => {
    const f = formValues(e);
    run(() => api('PUT', `/api/users/${enc(f.name)}`, { password: f.password, tags: f.tags }), `User ${f.name} saved`);
  };
  const remove = (u) => sure(`Delete user ${u.name}`) && run(() => api('DELETE', `/api/users/${enc(u.name)}`), `User ${u.name} deleted`);
  return html`<div>
    ${error && html`<p class="notice error">${error}</p>`}
    <${Table} name="users" rows=${data} rowKey=${(u) => u.name}
      columns=${[
        ['Name', (u) => u.name],
        ['Tags', (u) => u.tags.join(', ')],
        ['Password', (u) => (u.password_hash ? '●' : html`<span class="muted">none</span>`)],
        ['', (u) => html`<button class="danger" data-action="delete-user" onClick=${() => remove(u)}>Delete</button>`],
      ]} />
    <form class="inline" data-form="add-user" onSubmit=${add}>
      <input name="name" required placeholder="username" />
      <input name="password" type="password" required placeholder="password" />
      <input name="tags" placeholder="tags: administrator, monitoring, …" list="warren-tags" />
      <datalist id="warren-tags">${['administrator', 'monitoring', 'policymaker', 'management'].map((t) => html`<option value=${t} />`)}</datalist>
      <button type="submit">Add / update user</button>
    </form>
    <${Notice} notice=${notice} />
    <${Section} title="Permissions">
      <${Permissions} vhosts=${vhosts} users=${data} />
    <//>
  </div>`;
}

function Permissions({ vhosts, users }) {
  const { data, error, reload } = usePoll(() => get('/api/permissions'));
  const [notice, run] = useAction(reload);
  const path = (vhost, user) => `/api/permissions/${enc(vhost)}/${enc(user)}`;
  const set = (e) => {
    const f = formValues(e);
    run(() => api('PUT', path(f.vhost, f.user), { configure: f.configure, write: f.write, read: f.read }),
      `Permissions of ${f.user} in ${f.vhost} set`);
  };
  const clear = (p) => sure(`Clear ${p.user}'s permissions in ${p.vhost}`)
    && run(() => api('DELETE', path(p.vhost, p.user)), 'Permissions cleared');
  return html`<div>
    ${error && html`<p class="notice error">${error}</p>`}
    <${Table} name="permissions" rows=${data} rowKey=${(p) => `${p.vhost}|${p.user}`}
      columns=${[
        ['User', (p) => p.user], ['Virtual host', (p) => p.vhost],
        ['Configure', (p) => html`<code>${p.configure}</code>`], ['Write', (p) => html`<code>${p.write}</code>`],
        ['Read', (p) => html`<code>${p.read}</code>`],
        ['', (p) => html`<button data-action="clear-permissions" onClick=${() => clear(p)}>Clear</button>`],
      ]} />
    <form class="inline" data-form="set-permissions" onSubmit=${set}>
      <select name="user">${(users ?? []).map((u) => html`<option>${u.name}</option>`)}</select>
      <${VhostSelect} vhosts=${vhosts} />
      <input name="configure" value=".*" title="configure" />
      <input name="write" value=".*" title="write" />
      <input name="read" value=".*" title="read" />
      <button type="submit">Set permissions</button>
    </form>
    <${Notice} notice=${notice} />
  </div>`;
}
