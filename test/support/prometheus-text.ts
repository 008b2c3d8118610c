/**
 * Reads Prometheus text exposition (format 0.0.4) back for assertions: each family's TYPE and
 * HELP, and its samples with their labels (escapes undone). Strict enough to fail a test on a
 * malformed line; promtool is the full check.
 */
export interface Sample { readonly name: string; readonly labels: Record<string, string>; readonly value: number }
export interface Scrape {
  readonly types: Map<string, string>;
  readonly helps: Map<string, string>;
  readonly samples: Sample[];
  /** The samples of `name` whose labels include `labels`. */
  find(name: string, labels?: Record<string, string>): Sample[];
  /** The one sample of `name` matching `labels` (throws when there is none or more than one). */
  value(name: string, labels?: Record<string, string>): number;
}

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/;

export function parseExposition(text: string): Scrape {
  const types = new Map<string, string>();
  const helps = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (TYPE|HELP) (\S+) ?(.*)$/.exec(line);
    if (meta !== null) {
      const into = meta[1] === 'TYPE' ? types : helps;
      if (into.has(meta[2])) throw new Error(`second ${meta[1]} line for ${meta[2]}`);
      into.set(meta[2], meta[3]);
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (m === null) throw new Error(`malformed sample line: ${JSON.stringify(line)}`);
    samples.push({ name: m[1], labels: m[2] === undefined ? {} : parseLabels(m[2]), value: Number(m[3]) });
  }
  const find = (name: string, labels: Record<string, string> = {}) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return {
    types, helps, samples, find,
    value(name, labels = {}) {
      const found = find(name, labels);
      if (found.length !== 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
      return found[0].value;
    },
  };
}

/** `{a="x",b="y\"z"}` → { a: 'x', b: 'y"z' }. */
function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 1;
  while (i < text.length - 1) {
    const eq = text.indexOf('=', i);
    const name = text.slice(i, eq);
    if (text[eq + 1] !== '"') throw new Error(`bad labels ${text}`);
    let j = eq + 2;
    let value = '';
    for (; text[j] !== '"'; j++) {
      if (j >= text.length) throw new Error(`unterminated label value in ${text}`);
      if (text[j] === '\\') {
        j++;
        value += text[j] === 'n' ? '\n' : text[j];
      } else value += text[j];
    }
    out[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
  }
  return out;
}

/** GETs a metrics path: the status, content type and the parsed body. */
export async function scrape(base: string, path: string): Promise<{ status: number; contentType: string | null; text: string; parsed: Scrape }> {
  const res = await fetch(`${base}${path}`);
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), text, parsed: parseExposition(text) };
}
