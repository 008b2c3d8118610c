// How numbers, rates and features are shown in tables.
export function num(n) {
  return typeof n === 'number' ? n.toLocaleString('en-US') : '';
}

/** A `*_details.rate` from message_stats, as "1.2/s" (blank when the broker reports none). */
export function rate(stats, field) {
  const r = stats?.[`${field}_details`]?.rate;
  return typeof r === 'number' ? `${r.toLocaleString('en-US', { maximumFractionDigits: 1 })}/s` : '';
}

export function bytes(n) {
  if (typeof n !== 'number') return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i += 1;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

/** RabbitMQ's short feature letters: D durable, AD auto-delete, I internal, Excl exclusive, plus x-arguments. */
export function features(o) {
  const f = [];
  if (o.durable) f.push('D');
  if (o.auto_delete) f.push('AD');
  if (o.internal) f.push('I');
  if (o.exclusive) f.push('Excl');
  for (const k of Object.keys(o.arguments ?? {})) f.push(k.replace(/^x-/, ''));
  return f.join(' ');
}

export const vhostLabel = (v) => (v === '/' ? '/' : v);
