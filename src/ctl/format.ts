/**
 * rabbitmqctl's output shapes, from the JSON the management API returns:
 *  - the table formatter: one tab-separated line per row, values as rabbitmqctl prints Erlang
 *    terms (AMQP tables as `[{"key",value},...]`, strings inside them quoted, lists `[a, b]`);
 *  - the json formatter: `[` then one object per line, each after the first prefixed with
 *    `,`, then `]` — the streaming shape rabbitmqctl writes, which `jq` reads as one array —
 *    with AMQP tables as `[["key","type",value],...]`.
 */

/** The API gives tables as plain JSON: the AMQP type is inferred as RabbitMQ's JSON decoding does. */
export function amqpType(v: unknown): string {
  if (v === null || v === undefined) return 'void';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'double';
  if (typeof v === 'string') return 'longstr';
  if (Array.isArray(v)) return 'array';
  return 'table';
}

/** A value nested in a table or list, as an Erlang term: strings quoted. */
function nestedTerm(v: unknown): string {
  if (v === null || v === undefined) return 'undefined';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(nestedTerm).join(',')}]`;
  return tableTerm(v as Record<string, unknown>);
}

/** An AMQP table: `[{"x-max-length",5},{"x-queue-type","classic"}]`. */
export function tableTerm(t: Record<string, unknown>): string {
  return `[${Object.entries(t).map(([k, v]) => `{${JSON.stringify(k)},${nestedTerm(v)}}`).join(',')}]`;
}

/** A top-level cell of the table formatter. */
export function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'string' ? x : nestedTerm(x))).join(', ')}]`;
  return tableTerm(v as Record<string, unknown>);
}

/** An AMQP table for the json formatter: `[["x-max-length","long",5]]`. */
export function typedTable(t: Record<string, unknown>): unknown[] {
  return Object.entries(t).map(([k, v]) => [k, amqpType(v), typedValue(v)]);
}

function typedValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map((x) => [amqpType(x), typedValue(x)]);
  if (v !== null && typeof v === 'object') return typedTable(v as Record<string, unknown>);
  return v ?? null;
}

/** A row: the value of each requested column, already shaped for its formatter. */
export type Row = Record<string, unknown>;

export interface TableOptions {
  headers: boolean;
}

/**
 * Tab-separated lines, the header first unless suppressed; each line ends with a newline.
 * Nothing at all for no rows: rabbitmqctl prints the header only above a first row.
 */
export function renderTable(columns: readonly string[], rows: readonly Row[], o: TableOptions): string {
  if (rows.length === 0) return '';
  const lines: string[] = [];
  if (o.headers) lines.push(columns.join('\t'));
  for (const r of rows) lines.push(columns.map((c) => cell(r[c])).join('\t'));
  return lines.map((l) => `${l}\n`).join('');
}

/** The json formatter's streaming array. */
export function renderJsonRows(columns: readonly string[], rows: readonly Row[], tableColumns: ReadonlySet<string>): string {
  const objs = rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (const c of columns) {
      const v = r[c];
      o[c] = tableColumns.has(c) && v !== null && typeof v === 'object' && !Array.isArray(v)
        ? typedTable(v as Record<string, unknown>)
        : v ?? null;
    }
    return JSON.stringify(o);
  });
  return `[\n${objs.map((o, i) => (i === 0 ? o : `,${o}`)).map((l) => `${l}\n`).join('')}]\n`;
}
