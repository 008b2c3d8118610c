// Definitions: download the broker's (GET /api/definitions) and upload a file (POST).
import { html } from 'htm/preact';
import { api } from './api.js';
import { Notice, Section, useAction } from './ui.js';

export function Definitions() {
  const [notice, run] = useAction();
  // the API needs the Authorization header, so a plain link cannot fetch it: build the file here
  const download = () => run(async () => {
    const defs = await api('GET', '/api/definitions');
    const blob = new Blob([JSON.stringify(defs, null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `warren-definitions-${new Date().toISOString().slice(0, 10)}.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }, 'Definitions downloaded');
  const upload = (e) => {
    e.preventDefault();
    const file = e.currentTarget.elements.file.files[0];
    if (!file) return;
    run(async () => api('POST', '/api/definitions', await file.text()), `Definitions from ${file.name} imported`);
  };
  return html`<div>
    <${Section} title="Export">
      <p>Users, virtual hosts, permissions, policies, exchanges, queues and bindings, as RabbitMQ exports them.</p>
      <button data-action="download-definitions" onClick=${download}>Download broker definitions</button>
    <//>
    <${Section} title="Import">
      <form class="inline" data-form="upload-definitions" onSubmit=${upload}>
        <input type="file" name="file" accept=".json,application/json" required />
        <button type="submit">Upload broker definitions</button>
      </form>
    <//>
    <${Notice} notice=${notice} />
  </div>`;
}
