/**
 * Prometheus's text exposition format 0.0.4, written directly: each family's `# TYPE` and
 * `# HELP` lines once (in RabbitMQ's order, TYPE first), then its samples. Label values and
 * HELP text are escaped as the format requires, so that any queue or vhost name (quotes,
 * backslashes, newlines) leaves the output parseable.
 */

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'counter' | 'gauge' | 'untyped';
export type Labels = Readonly<Record<string, string>>;

/** A label value inside double quotes: backslash, double quote and line feed escaped. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text: backslash and line feed escaped (quotes are allowed as they are). */
export function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as Prometheus reads it (integers without a fraction, NaN and infinities by name). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

function formatLabels(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabelValue(labels[k])}"`).join(',')}}`;
}

export class Exposition {
  private readonly parts: string[] = [];
  private readonly written = new Set<string>();
  private current: string | null = null;

  /**
   * Starts a family. A family may be started once only: the format forbids a second TYPE line
   * for a name, and a family split in two would be rejected by Prometheus's parser.
   */
  family(name: string, type: MetricType, help: string): this {
    if (this.written.has(name)) throw new Error(`metric family ${name} written twice`);
    this.written.add(name);
    this.current = name;
    this.parts.push(`# TYPE ${name} ${type}\n# HELP ${name} ${escapeHelp(help)}\n`);
    return this;
  }

  /** Whether a family of this name has been started. */
  has(name: string): boolean {
    return this.written.has(name);
  }

  /** A sample of the current family. */
  sample(value: number, labels: Labels = {}): this {
    if (this.current === null) throw new Error('sample before any family');
    this.parts.push(`${this.current}${formatLabels(labels)} ${formatValue(value)}\n`);
    return this;
  }

  text(): string {
    return this.parts.join('');
  }
}
