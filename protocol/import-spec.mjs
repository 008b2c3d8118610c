#!/usr/bin/env node
// Derives protocol/amqp-0-9-1.json (the project's own copy of the protocol) from the
// RabbitMQ-extended AMQP 0-9-1 XML. Run by hand when the XML changes:
//   node protocol/import-spec.mjs ../shared/spec/amqp0-9-1.stripped.extended.xml
// Without an argument it checks that the committed JSON still matches the XML (used by CI
// when ../shared is present). The rest of the build reads only the JSON, so the project
// builds and tests without ../shared.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const jsonPath = path.join(here, 'amqp-0-9-1.json');
const defaultXml = path.join(here, '..', '..', 'shared', 'spec', 'amqp0-9-1.stripped.extended.xml');

/** The XML is small and regular: elements with attributes, no text content we need. */
function parseXml(text) {
  const root = { tag: '#root', attrs: {}, children: [] };
  const stack = [root];
  const tokens = text.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '');
  const re = /<(\/?)([\w-]+)([^>]*?)(\/?)>/g;
  let m;
  while ((m = re.exec(tokens)) !== null) {
    const [, closing, tag, attrText, selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open.tag !== tag) throw new Error(`mismatched </${tag}> closing <${open.tag}>`);
      continue;
    }
    const attrs = {};
    for (const a of attrText.matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
    const node = { tag, attrs, children: [] };
    stack[stack.length - 1].children.push(node);
    if (!selfClosing) stack.push(node);
  }
  if (stack.length !== 1) throw new Error('unclosed elements in XML');
  return root.children.find((c) => c.tag === 'amqp');
}

function buildDefinition(amqp) {
  const domains = amqp.children.filter((c) => c.tag === 'domain')
    .map((d) => ({ name: d.attrs.name, type: d.attrs.type }));
  const typeOf = new Map(domains.map((d) => [d.name, d.type]));
  const field = (f) => {
    const domain = f.attrs.domain ?? null;
    const type = f.attrs.type ?? typeOf.get(domain);
    if (!type) throw new Error(`field ${f.attrs.name}: unknown domain ${domain}`);
    return { name: f.attrs.name, domain, type, reserved: f.attrs.reserved === '1' };
  };
  const constants = amqp.children.filter((c) => c.tag === 'constant').map((c) => ({
    name: c.attrs.name,
    value: Number(c.attrs.value),
    ...(c.attrs.class ? { class: c.attrs.class } : {}),
  }));
  // RabbitMQ's own codegen (rabbitmq_codegen/amqp-rabbitmq-0.9.1.json) adds reply codes the XML
  // lacks; basic.return uses 312 for an unroutable mandatory message.
  for (const extra of RABBITMQ_ADDITIONAL_CONSTANTS) {
    if (!constants.some((c) => c.name === extra.name)) constants.push(extra);
  }
  constants.sort((a, b) => a.value - b.value);
  const classes = amqp.children.filter((c) => c.tag === 'class').map((k) => ({
    name: k.attrs.name,
    id: Number(k.attrs.index),
    properties: k.children.filter((c) => c.tag === 'field').map(field),
    methods: k.children.filter((c) => c.tag === 'method').map((m) => ({
      name: m.attrs.name,
      id: Number(m.attrs.index),
      synchronous: m.attrs.synchronous === '1',
      content: m.attrs.content === '1',
      responses: m.children.filter((c) => c.tag === 'response').map((r) => r.attrs.name),
      // who may send it: 'server' chassis = the client sends it to the server
      sentBy: senders(m),
      fields: m.children.filter((c) => c.tag === 'field').map(field),
    })),
  }));
  for (const extra of RABBITMQ_ADDITIONAL_METHODS) {
    const k = classes.find((c) => c.name === extra.className);
    if (!k.methods.some((m) => m.name === extra.method.name)) k.methods.push(extra.method);
  }
  return {
    protocol: 'AMQP 0-9-1 with RabbitMQ extensions',
    derivedFrom: 'amqp0-9-1.stripped.extended.xml (RabbitMQ codegen; Debian package amqp-specs)',
    major: Number(amqp.attrs.major),
    minor: Number(amqp.attrs.minor),
    revision: Number(amqp.attrs.revision),
    port: Number(amqp.attrs.port),
    constants,
    domains,
    classes,
  };
}

const RABBITMQ_ADDITIONAL_CONSTANTS = [{ name: 'no-route', value: 312, class: 'soft-error' }];

// Methods RabbitMQ added to class connection that the XML lacks (rabbitmq_codegen's JSON):
// the server tells publishers they are blocked by a resource alarm, and lifts it; a client
// hands over a new secret (an OAuth token it refreshed) without reconnecting.
const RABBITMQ_ADDITIONAL_METHODS = [
  {
    className: 'connection',
    method: {
      name: 'blocked', id: 60, synchronous: false, content: false, responses: [], sentBy: ['server'],
      fields: [{ name: 'reason', domain: 'shortstr', type: 'shortstr', reserved: false }],
    },
  },
  {
    className: 'connection',
    method: { name: 'unblocked', id: 61, synchronous: false, content: false, responses: [], sentBy: ['server'], fields: [] },
  },
  {
    className: 'connection',
    method: {
      name: 'update-secret', id: 70, synchronous: true, content: false, responses: ['update-secret-ok'], sentBy: ['client'],
      fields: [
        { name: 'new-secret', domain: 'longstr', type: 'longstr', reserved: false },
        { name: 'reason', domain: 'shortstr', type: 'shortstr', reserved: false },
      ],
    },
  },
  {
    className: 'connection',
    method: { name: 'update-secret-ok', id: 71, synchronous: true, content: false, responses: [], sentBy: ['server'], fields: [] },
  },
];

function senders(method) {
  const chassis = method.children.filter((c) => c.tag === 'chassis').map((c) => c.attrs.name);
  const out = [];
  if (chassis.includes('server')) out.push('client');
  if (chassis.includes('client')) out.push('server');
  return out;
}

const xmlPath = process.argv[2] ?? defaultXml;
if (!existsSync(xmlPath)) {
  console.log(`import-spec: ${xmlPath} not found; nothing to check`);
  process.exit(0);
}
const json = JSON.stringify(buildDefinition(parseXml(readFileSync(xmlPath, 'utf8'))), null, 2) + '\n';
if (process.argv[2]) {
  writeFileSync(jsonPath, json);
  console.log(`wrote ${path.relative(process.cwd(), jsonPath)}`);
} else if (readFileSync(jsonPath, 'utf8') !== json) {
  console.error('protocol/amqp-0-9-1.json is out of date with the XML: run node protocol/import-spec.mjs <xml>');
  process.exit(1);
} else {
  console.log('protocol/amqp-0-9-1.json matches the XML');
}
