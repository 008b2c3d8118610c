// Hash routes (#/queues, #/queues/<vhost>/<name>, …), so that reloading keeps the page and no
// server-side route per page is needed.
import { useEffect, useState } from 'preact/hooks';

export const TABS = [
  ['overview', 'Overview'], ['connections', 'Connections'], ['channels', 'Channels'], ['exchanges', 'Exchanges'],
  ['queues', 'Queues'], ['admin', 'Admin'], ['definitions', 'Definitions'],
];

/** `#/<tab>[/<vhost>/<name>]`, each part URI-encoded. */
export function link(page, ...parts) {
  return `#/${[page, ...parts].map(encodeURIComponent).join('/')}`;
}

export function go(page, ...parts) {
  window.location.hash = link(page, ...parts);
}

function parse() {
  const raw = window.location.hash.replace(/^#\/?/, '');
  const parts = raw === '' ? [] : raw.split('/').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return { page: parts[0] || 'overview', args: parts.slice(1) };
}

export function useRoute() {
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const changed = () => setRoute(parse());
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}
