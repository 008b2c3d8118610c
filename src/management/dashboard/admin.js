// Admin: virtual hosts, users and permissions, policies.
import { html } from 'htm/preact';
import { get } from './api.js';
import { Policies } from './policies.js';
import { usePoll } from './poll.js';
import { Section } from './ui.js';
import { Users } from './users.js';
import { Vhosts } from './vhosts.js';

export function Admin() {
  const { data: vhosts, error, reload } = usePoll(() => get('/api/vhosts'));
  return html`<div>
    <${Section} title="Virtual hosts"><${Vhosts} vhosts=${vhosts} error=${error} reload=${reload} /><//>
    <${Section} title="Users"><${Users} vhosts=${vhosts} /><//>
    <${Section} title="Policies"><${Policies} vhosts=${vhosts} /><//>
  </div>`;
}
