import { randomUUID } from 'node:crypto';
import { create } from 'xmlbuilder2';
import type { Envelope, FormattedItem, Formatter } from '../src';
import { passRegistry } from '../src';
import { jsonFormatter, xmlFormatter } from '../src/core/formats';
import { median } from './stats';

export interface SerializerResult {
  name: string;
  description: string;
  /** Median over the repetitions. */
  opsPerSecond: number;
  microsecondsPerOp: number;
  samples: number[];
}

interface Serializer {
  name: string;
  description: string;
  serialize(envelope: Envelope): string;
}

/** What a formatter costs when it builds an xmlbuilder2 document per response: the reference to beat. */
function xmlDocumentPerEnvelope(envelope: Envelope): string {
  const error = create({ version: '1.0', encoding: 'UTF-8' }).ele('error');
  for (const [field, value] of Object.entries(envelope)) {
    if (value !== undefined) error.ele(field).txt(String(value));
  }
  return error.end({ prettyPrint: false });
}

/** The HTTP bench's item response: 10 resources, 3 failed, the failed ones sharing the envelope's trace. */
function itemResponse(envelope: Envelope): FormattedItem[] {
  const entry = passRegistry.get('authorization_denied_by_mvpd');
  const error: Envelope = { ...envelope, action: entry.action, status: entry.status, code: entry.code, message: entry.message };
  return Array.from({ length: 10 }, (_, index) =>
    [2, 5, 8].includes(index)
      ? { fields: { id: `resource-${index}`, authorized: false }, error }
      : { fields: { id: `resource-${index}`, authorized: true } },
  );
}

function itemsWith(formatter: Formatter): (envelope: Envelope) => string {
  const { formatItems } = formatter;
  if (formatItems === undefined) throw new TypeError('formatter has no formatItems');
  // Building the item list is part of every call, alike for both formats.
  return (envelope) => {
    const body = formatItems('resources', itemResponse(envelope));
    // A body in parts is joined, as writeResponse would encode it: the serializers are compared on whole bodies.
    return typeof body === 'string' ? body : body.join('');
  };
}

const SERIALIZERS: readonly Serializer[] = [
  { name: 'json', description: 'JSON envelope (jsonFormatter.formatError)', serialize: jsonFormatter.formatError },
  { name: 'xml', description: 'XML envelope (xmlFormatter.formatError)', serialize: xmlFormatter.formatError },
  {
    name: 'items-json',
    description: 'JSON item response, 10 items, 3 failed (jsonFormatter.formatItems)',
    serialize: itemsWith(jsonFormatter),
  },
  {
    name: 'items-xml',
    description: 'XML item response, 10 items, 3 failed (xmlFormatter.formatItems)',
    serialize: itemsWith(xmlFormatter),
  },
  {
    name: 'xml-document-per-envelope',
    description: 'reference: a new xmlbuilder2 document per envelope',
    serialize: xmlDocumentPerEnvelope,
  },
];

/** The 429 envelope of the HTTP bench, each with its own trace so that nothing can be cached per body. */
function sampleEnvelopes(count: number): Envelope[] {
  const entry = passRegistry.get('too_many_requests');
  return Array.from({ length: count }, () => ({
    action: entry.action,
    status: entry.status,
    code: entry.code,
    message: entry.message,
    details: undefined,
    helpUrl: undefined,
    trace: randomUUID(),
  }));
}

export interface SerializerBenchOptions {
  /** How long one measurement of one serializer runs. */
  milliseconds: number;
  /** Measurements per serializer, interleaved across serializers. */
  repetitions: number;
}

export function benchmarkSerializers({ milliseconds, repetitions }: SerializerBenchOptions): SerializerResult[] {
  const envelopes = sampleEnvelopes(1024);
  const samples = new Map<Serializer, number[]>(SERIALIZERS.map((serializer) => [serializer, []]));
  let sink = 0;
  for (const serializer of SERIALIZERS) sink += measure(serializer, envelopes, Math.min(200, milliseconds)).sink;
  for (let repetition = 0; repetition < repetitions; repetition++) {
    for (const serializer of SERIALIZERS) {
      const { opsPerSecond, sink: length } = measure(serializer, envelopes, milliseconds);
      samples.get(serializer)?.push(opsPerSecond);
      sink += length;
    }
  }
  if (sink === 0) throw new Error('serializers produced nothing');
  return SERIALIZERS.map((serializer) => {
    const runs = samples.get(serializer) ?? [];
    const opsPerSecond = median(runs);
    return {
      name: serializer.name,
      description: serializer.description,
      opsPerSecond,
      microsecondsPerOp: 1e6 / opsPerSecond,
      samples: runs,
    };
  });
}

/** Runs batches until the time is up; the summed lengths keep the work from being optimized away. */
function measure(serializer: Serializer, envelopes: readonly Envelope[], milliseconds: number) {
  const batch = envelopes.length;
  const deadline = process.hrtime.bigint() + BigInt(milliseconds) * 1_000_000n;
  const start = process.hrtime.bigint();
  let operations = 0;
  let sink = 0;
  let now = start;
  do {
    for (const envelope of envelopes) sink += serializer.serialize(envelope).length;
    operations += batch;
    now = process.hrtime.bigint();
  } while (now < deadline);
  return { opsPerSecond: (operations * 1e9) / Number(now - start), sink };
}

if (require.main === module) {
  const results = benchmarkSerializers({ milliseconds: 1000, repetitions: 5 });
  for (const result of results) {
    console.log(
      `${result.description}: ${Math.round(result.opsPerSecond).toLocaleString('en-US')} ops/s (${result.microsecondsPerOp.toFixed(2)} µs/op)`,
    );
  }
}
