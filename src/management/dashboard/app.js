// The dashboard's shell: login, the tabs along the top, and the page the hash names.
import { html } from 'htm/preact';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Admin } from './admin.js';
import { get, loggedIn, login, logout, whenUnauthorised } from './api.js';
import { Channels, Connections } from './connections.js';
import { Definitions } from './definitions.js';
import { ExchangePage, Exchanges } from './exchanges.js';
import { Overview } from './overview.js';
import { QueuePage, Queues } from './queues.js';
import { TABS, link, useRoute } from './router.js';
import { formValues } from './ui.js';

function Login({ onLogin }) {
  const [error, setError] = useState(null);
  const submit = async (e) => {
    const f = formValues(e);
    try {
      onLogin(await login(f.username, f.password));
    } catch (err) {
      setError(err.message);
    }
  };
  return html`<form class="login" data-form="login" onSubmit=${submit}>
    <h1>Warren</h1>
    <label>Username <input name="username" autocomplete="username" required autofocus /></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" /></label>
    <button type="submit">Login</button>
    ${error && html`<p class="notice error" role="alert">${error}</p>`}
  </form>`;
}

function Page({ page, args }) {
  if (page === 'queue') return html`<${QueuePage} key=${args.join('/')} vhost=${args[0]} name=${args[1]} />`;
  if (page === 'exchange') return html`<${ExchangePage} key=${args.join('/')} vhost=${args[0]} name=${args[1]} />`;
  const views = { overview: Overview, connections: Connections, channels: Channels, exchanges: Exchanges, queues: Queues, admin: Admin, definitions: Definitions };
  const View = views[page] ?? Overview;
  return html`<${View} />`;
}

function App() {
  const [user, setUser] = useState(null);
  const [checked, setChecked] = useState(!loggedIn());
  const route = useRoute();
  useEffect(() => {
    whenUnauthorised(() => {
      logout();
      setUser(null);
    });
    // a reload keeps the session's credentials: check they still work
    if (loggedIn()) get('/api/whoami').then(setUser, () => logout()).finally(() => setChecked(true));
  }, []);
  if (!checked) return html`<p class="muted">Loading…</p>`;
  if (user === null) return html`<${Login} onLogin=${setUser} />`;
  const active = route.page === 'queue' ? 'queues' : route.page === 'exchange' ? 'exchanges' : route.page;
  return html`<div>
    <header>
      <span class="brand">Warren</span>
      <nav>${TABS.map(([id, label]) => html`<a href=${link(id)} data-tab=${id} class=${active === id ? 'active' : ''}>${label}</a>`)}</nav>
      <span class="who">User <b data-user>${user.name}</b> <button class="link" data-action="logout" onClick=${() => {
        logout();
        setUser(null);
      }}>Log out</button></span>
    </header>
    <main><${Page} page=${route.page} args=${route.args} /></main>
  </div>`;
}

const root = document.getElementById('app');
root.textContent = ''; // the static "Loading…" placeholder
render(html`<${App} />`, root);
