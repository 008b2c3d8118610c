// Publishing a message through an exchange (POST /api/exchanges/{vhost}/{name}/publish).
import { html } from 'htm/preact';
import { api, enc } from './api.js';
import { Notice, formValues, parseArguments, useAction } from './ui.js';

/** The default exchange is addressed as amq.default in the API. `routingKey` preset for a queue's page. */
export function PublishForm({ vhost, exchange, routingKey, after }) {
  const [notice, run] = useAction(after);
  const publish = (e) => {
    const f = formValues(e);
    const properties = { delivery_mode: Number(f.delivery_mode), headers: parseArguments(f.headers) };
    for (const p of ['content_type', 'correlation_id', 'reply_to', 'message_id', 'expiration']) if (f[p]) properties[p] = f[p];
    run(() => api('POST', `/api/exchanges/${enc(vhost)}/${enc(exchange === '' ? 'amq.default' : exchange)}/publish`, {
      routing_key: f.routing_key, payload: f.payload, payload_encoding: 'string', properties,
    }), (r) => (r?.routed ? 'Message published.' : 'Message published, but not routed.'));
  };
  return html`<form class="grid" data-form="publish" onSubmit=${publish}>
    <label>Routing key <input name="routing_key" value=${routingKey ?? ''} readonly=${routingKey !== undefined} /></label>
    <label>Delivery mode <select name="delivery_mode"><option value="1">1 - non-persistent</option><option value="2">2 - persistent</option></select></label>
    <label>Headers <textarea name="headers" rows="2" placeholder="key=value"></textarea></label>
    <label>content_type <input name="content_type" /></label>
    <label>correlation_id <input name="correlation_id" /></label>
    <label>message_id <input name="message_id" /></label>
    <label>expiration <input name="expiration" placeholder="ms" /></label>
    <label>Payload <textarea name="payload" rows="4"></textarea></label>
    <div><button type="submit">Publish message</button></div>
    <${Notice} notice=${notice} />
  </form>`;
}
