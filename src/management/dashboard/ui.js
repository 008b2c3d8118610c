// Small shared pieces: tables, sections, notices, and a form field that keeps its own state.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';

/**
 * A dense table. `columns` are [heading, (row) => cell, className?]; `rowKey` names each row
 * (data-key on the <tr>, which tests and links use).
 */
export function Table({ columns, rows, rowKey, empty = 'Nothing here.', name }) {
  if (rows === undefined) return html`<p class="muted">Loading…</p>`;
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<table class="list" data-table=${name}>
    <thead><tr>${columns.map(([h, , cls]) => html`<th class=${cls ?? ''}>${h}</th>`)}</tr></thead>
    <tbody>${rows.map((r) => html`<tr key=${rowKey(r)} data-key=${rowKey(r)}>
      ${columns.map(([, cell, cls]) => html`<td class=${cls ?? ''}>${cell(r)}</td>`)}
    </tr>`)}</tbody>
  </table>`;
}

export function Section({ title, children, open = true }) {
  return html`<details class="section" open=${open}><summary>${title}</summary><div class="body">${children}</div></details>`;
}

/** The outcome of the last action: green for done, red for the API's refusal. */
export function Notice({ notice }) {
  if (!notice) return null;
  return html`<p class=${notice.ok ? 'notice ok' : 'notice error'} role="status">${notice.text}</p>`;
}

/**
 * Runs an action and remembers what came of it for <Notice>: `[notice, run]`, where
 * `run(action, doneText)` awaits the action and, on success, shows doneText, calls `after`
 * and resolves to `{ result }`; on failure it shows the API's reason and resolves to undefined.
 */
export function useAction(after = () => {}) {
  const [notice, setNotice] = useState(null);
  const run = async (action, doneText) => {
    try {
      const result = await action();
      setNotice({ ok: true, text: typeof doneText === 'function' ? doneText(result) : doneText });
      after();
      return { result };
    } catch (e) {
      setNotice({ ok: false, text: e.message });
      return undefined;
    }
  };
  return [notice, run];
}

/** Reads a submitted form's fields as strings (checkboxes: true/false). */
export function formValues(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    out[el.name] = el.type === 'checkbox' ? el.checked : el.value;
  }
  return out;
}

/** Asks before a destructive action, as RabbitMQ's UI does. */
export const sure = (what) => window.confirm(`${what}?`);

export function VhostSelect({ vhosts, name = 'vhost', value }) {
  return html`<select name=${name}>
    ${(vhosts ?? [{ name: '/' }]).map((v) => html`<option value=${v.name} selected=${v.name === value}>${v.name}</option>`)}
  </select>`;
}

/** "key=value" lines (numbers and booleans as JSON) to an arguments object. */
export function parseArguments(text) {
  const out = {};
  for (const line of (text ?? '').split('\n')) {
    const t = line.trim();
    if (t === '') continue;
    const eq = t.indexOf('=');
    if (eq < 1) throw new Error(`not key=value: ${t}`);
    const key = t.slice(0, eq).trim();
    const raw = t.slice(eq + 1).trim();
    let value = raw;
    try {
      const parsed = JSON.parse(raw);
      if (typeof parsed !== 'string') value = parsed;
    } catch {
      value = raw;
    }
    out[key] = value;
  }
  return out;
}
