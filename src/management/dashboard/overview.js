// Overview: totals, message rates and queued messages charted from /api/overview samples.
import { html } from 'htm/preact';
import { get } from './api.js';
import { num } from './format.js';
import { usePoll } from './poll.js';
import { RateChart } from './rate-chart.js';
import { Section, Table } from './ui.js';

const KEEP = 120; // ten minutes of 5 s samples

/** The broker-wide rates RabbitMQ's overview charts, in its message_stats names. */
const RATES = [['publish', 'Publish'], ['deliver_get', 'Deliver / get'], ['ack', 'Acknowledge']];
const QUEUED = [['messages_ready', 'Ready'], ['messages_unacknowledged', 'Unacked']];

// kept across tab changes, so coming back to the overview shows the recent past
const history = { t: [], rates: RATES.map(() => []), queued: QUEUED.map(() => []) };

function record(o) {
  history.t.push(Math.round(Date.now() / 1000));
  RATES.forEach(([f], i) => history.rates[i].push(o.message_stats?.[`${f}_details`]?.rate ?? 0));
  QUEUED.forEach(([f], i) => history.queued[i].push(o.queue_totals?.[f] ?? 0));
  if (history.t.length > KEEP) {
    history.t.shift();
    for (const s of [...history.rates, ...history.queued]) s.shift();
  }
}

async function sample() {
  const o = await get('/api/overview');
  record(o);
  return o;
}

export function Overview() {
  const { data: o, error } = usePoll(sample);
  if (o === undefined) return html`<p class=${error ? 'notice error' : 'muted'}>${error ?? 'Loading…'}</p>`;
  const t = o.object_totals ?? {};
  const q = o.queue_totals ?? {};
  return html`<div>
    ${error && html`<p class="notice error">${error}</p>`}
    <p class="summary">
      <b>${o.product_name ?? 'Warren'} ${o.product_version ?? ''}</b> on node <b>${o.node}</b>${' '}
      (behaves as RabbitMQ ${o.rabbitmq_version})
    </p>
    <${Section} title="Totals">
      <div class="totals">
        ${[['Connections', t.connections], ['Channels', t.channels], ['Exchanges', t.exchanges], ['Queues', t.queues],
          ['Consumers', t.consumers], ['Ready', q.messages_ready], ['Unacked', q.messages_unacknowledged], ['Total', q.messages]]
          .map(([label, n]) => html`<div class="total" data-total=${label.toLowerCase()}><span>${label}</span><b>${num(n)}</b></div>`)}
      </div>
    <//>
    <${Section} title="Message rates">
      <${RateChart} name="rates" unit="/s" series=${RATES.map(([, l]) => l)} data=${[history.t, ...history.rates].map((a) => [...a])} />
    <//>
    <${Section} title="Queued messages">
      <${RateChart} name="queued" unit="" series=${QUEUED.map(([, l]) => l)} data=${[history.t, ...history.queued].map((a) => [...a])} />
    <//>
    <${Section} title="Listeners">
      <${Table} name="listeners" rows=${o.listeners ?? []} rowKey=${(l) => `${l.protocol}:${l.port}`}
        columns=${[['Protocol', (l) => l.protocol], ['Bound to', (l) => l.ip_address], ['Port', (l) => l.port]]} />
    <//>
  </div>`;
}
