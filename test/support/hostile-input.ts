import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Operation, Parameter, Schema } from './openapi-operations';

/**
 * fast-check generators for requests a hostile or careless client sends: each request is mostly
 * well formed (so it gets past the first check and reaches the code behind it) with one to three
 * values replaced by something the route must refuse.
 */

const CURATED_NUMBERS = ['1.5', '1e20', '-1', '0', '-0', 'NaN', 'Infinity', '99999999999999999999', '9223372036854775808', '0x1F', ' 1', '1_000', '1,5', '+1'];
const CURATED_DATES = [
  '2023-02-29T00:00:00Z',
  '2024-W01',
  '0000-01-01T00:00:00Z',
  '2024-02-30',
  '2024-13-01T00:00:00Z',
  '2024-01-01T25:00:00Z',
  '+275760-09-13T00:00:00.001Z',
  '-000001-01-01T00:00:00Z',
  '99999-12-31T23:59:59Z',
  '2024-001',
  '20240101',
  '2024-01-01T00:00:00+24:00',
];

/** Values known to have broken a route once, and their neighbours; generated values add the rest. */
const CURATED_TEXT = [
  '',
  ' ',
  '\t',
  'x\ud800',
  '\udc00',
  'a\ud800b',
  '\udfff\ud800',
  'x\u0000y',
  ...CURATED_DATES,
  '2024-01-01T00:00:00+99:00',
  ...CURATED_NUMBERS,
  '-Infinity',
  '1 ',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  "'; DROP TABLE devices; --",
  '%',
  '%25',
  '\\',
  '"',
  '\u202e',
  '\ufeff',
  '\u0085',
  '\u00a0',
  '\u200b',
  '=1+1',
  '\uff1d1+1',
  'x'.repeat(5000),
  'vers:generic/>=1.0|<2.3',
  '>=',
  '<',
  '*',
  '||',
  '$1',
  'CVE-0000-0000',
];

const loneSurrogate = fc
  .tuple(fc.string({ maxLength: 5 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 5 }))
  .map(([a, unit, b]) => `${a}${String.fromCharCode(unit)}${b}`);

/** Mostly well-shaped text for a day the calendar lacks (Feb 30, Apr 31, year 0), so it passes a pattern check. */
const impossibleDate = fc
  .tuple(
    fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9999 })),
    fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 12 }) }, { weight: 1, arbitrary: fc.constantFrom(0, 13) }),
    fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 29, max: 31 }) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 32 }) }),
    fc.integer({ min: 0, max: 24 }),
    fc.constantFrom('Z', '+00:00', '', '.123Z', '.1234567Z', '+14:01', null),
  )
  .map(([y, mo, d, h, zone]) => {
    const day = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    return zone === null ? day : `${day}T${String(h).padStart(2, '0')}:00:00${zone}`;
  });

const numberText = fc.oneof(
  fc.constantFrom(...CURATED_NUMBERS),
  fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 9 })).map(([n, d]) => `${n}.${d}`),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 400 })).map(([n, e]) => `${n}e${e}`),
  fc.bigInt({ min: 2n ** 53n, max: 10n ** 30n }).map(String),
  fc.double().map(String),
);

const dateText = fc.oneof(fc.constantFrom(...CURATED_DATES), impossibleDate);

export const badText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...CURATED_TEXT) },
  { weight: 2, arbitrary: loneSurrogate },
  { weight: 2, arbitrary: impossibleDate },
  { weight: 2, arbitrary: numberText },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'unknownField', 'id', 'role', 'x\ud800'];

export const badJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: badText },
  { weight: 2, arbitrary: loneSurrogate },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.constantFrom(true, false, 0, -1, 1.5, 1e20, -1e308, 1e308, 2 ** 53 + 2, 1e-7, -0) },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(badText, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...DANGEROUS_KEYS), badText).map(([k, v]) => withOwnKey({}, k, v)) },
);

/** `{ [key]: value }` would set the prototype for `__proto__`; JSON sends it as a plain key. */
function withOwnKey(target: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

/** Real rows the fuzzed requests point at, so a request can get past "not found" to the code behind it. */
export interface IdPools {
  /** By the collection a path or field names: `devices`, `manufacturers`, `models`, ... */
  byCollection: Record<string, string[]>;
  /** Cursors the API itself returned (nextCursor), by the listing's path, to forge variants of. */
  cursors: Record<string, string[]>;
}

const FIELD_COLLECTIONS: Record<string, string> = { manufacturerId: 'manufacturers', modelId: 'models', deviceId: 'devices', advisoryId: 'advisories' };

function idFor(pools: IdPools, collection: string | undefined): fc.Arbitrary<string> {
  const pool = (collection && pools.byCollection[collection]) || Object.values(pools.byCollection).flat();
  return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pool) }, { weight: 1, arbitrary: fc.constant(null).map(() => randomUUID()) });
}

/** A forged cursor: one the API returned with one field replaced, or plain junk in its encoding. */
function forgedCursor(cursors: string[]): fc.Arbitrary<string> {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url');
  const mutated = cursors.length
    ? fc.tuple(fc.constantFrom(...cursors), fc.nat(), badJson).map(([cursor, pick, bad]) => {
        const decoded = tryDecode(cursor);
        if (decoded === undefined) return cursor;
        return encode(replaceAt(decoded, pick, bad));
      })
    : fc.constant(encode(null));
  return fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map(encode) }, { weight: 1, arbitrary: badText });
}

function tryDecode(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A value the schema would accept (enough to reach the code behind validation). */
function validFor(schema: Schema | undefined, field: string, pools: IdPools, collection?: string, cursors: string[] = []): fc.Arbitrary<unknown> {
  if (!schema) return fc.constant('x');
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if (schema.format === 'uuid') return idFor(pools, FIELD_COLLECTIONS[field] ?? collection);
  if (schema.format === 'date-time' || schema.format === 'date') {
    const iso = fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    return schema.format === 'date' ? iso.map((d) => d.slice(0, 10)) : iso;
  }
  if (/cursor/i.test(field) && schema.type === 'string') return cursors.length ? fc.constantFrom(...cursors) : fc.constant(undefined);
  switch (schema.type) {
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? 0;
      return fc.integer({ min, max: Math.min(schema.maximum ?? min + 10, min + 10) });
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validFor(schema.items, field, pools, collection), { minLength: 1, maxLength: 2 });
    case 'object':
      return schema.properties ? validObject(schema, pools) : fc.constant({});
    default: {
      const example = typeof schema.example === 'string' ? schema.example : 'x';
      // The example as given (it may have a required shape) or made unique (it may have to be new).
      return fc.oneof(
        fc.constant(example),
        fc.constant(null).map(() => `${example}-${randomUUID().slice(0, 8)}`),
      );
    }
  }
}

function validObject(schema: Schema, pools: IdPools): fc.Arbitrary<Record<string, unknown>> {
  const entries = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? []);
  const parts = entries.map(([name, child]) =>
    fc.tuple(fc.constant(name), validFor(child, name, pools), required.has(name) ? fc.constant(true) : fc.boolean()),
  );
  return fc
    .tuple(...parts)
    .map((fields) => Object.fromEntries(fields.filter(([, value, keep]) => keep && value !== undefined).map(([name, value]) => [name, value])));
}

/** Every node of a JSON value, by the keys leading to it (the root is []). */
function pathsOf(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (value !== null && typeof value === 'object' && out.length < 500) {
    for (const [key, child] of Object.entries(value)) pathsOf(child, [...prefix, Array.isArray(value) ? Number(key) : key], out);
  }
  return out;
}

function replaceAt(root: unknown, pick: number, replacement: unknown): unknown {
  const paths = pathsOf(root);
  const path = paths[pick % paths.length];
  if (path.length === 0) return replacement;
  let parent = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  withOwnKey(parent as Record<string, unknown>, String(path[path.length - 1]), replacement);
  return root;
}

type Mutation = { kind: 'replace' | 'delete' | 'add'; pick: number; value: unknown; key: string };

function mutate(root: unknown, m: Mutation): unknown {
  if (m.kind === 'replace') return replaceAt(root, m.pick, m.value);
  const objects = pathsOf(root).filter((p) => {
    let node = root as Record<string | number, unknown>;
    for (const key of p) node = node[key] as Record<string | number, unknown>;
    return node !== null && typeof node === 'object' && !Array.isArray(node);
  });
  if (objects.length === 0) return m.kind === 'add' ? withOwnKey({}, m.key, m.value) : root;
  let node = root as Record<string, unknown>;
  for (const key of objects[m.pick % objects.length]) node = node[key] as Record<string, unknown>;
  if (m.kind === 'add') withOwnKey(node, m.key, m.value);
  else delete node[Object.keys(node)[m.pick % Math.max(1, Object.keys(node).length)]];
  return root;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'replace', 'replace', 'replace', 'delete', 'add'),
  pick: fc.nat(),
  value: badJson,
  key: fc.constantFrom(...DANGEROUS_KEYS),
});

export interface HostileRequest {
  method: Operation['method'];
  url: string;
  /** Raw JSON text (so keys like `__proto__` and lone surrogates travel as written), or undefined. */
  body?: string;
  role: string;
}

/** `%ED%A0%80` for a lone surrogate, which encodeURIComponent refuses to encode. */
function encodeLoose(text: string): string {
  let out = '';
  for (const char of text) {
    try {
      out += encodeURIComponent(char);
    } catch {
      const unit = char.charCodeAt(0);
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    }
  }
  return out;
}

/** A value of the kind the parameter takes, but out of its range or shape; or anything at all. */
function badFor(schema: Schema | undefined, name: string, cursors: string[]): fc.Arbitrary<string> {
  const kind =
    schema?.type === 'integer' || schema?.type === 'number'
      ? numberText
      : /cursor/i.test(name)
        ? forgedCursor(cursors)
        : schema?.format === 'date-time' || schema?.format === 'date'
          ? dateText
          : schema?.format === 'uuid'
            ? fc.constantFrom('00000000-0000-0000-0000-00000000000g', '{00000000-0000-0000-0000-000000000000}', 'ffffffff-ffff-ffff-ffff-ffffffffffffff')
            : loneSurrogate;
  return fc.oneof({ weight: 3, arbitrary: kind }, { weight: 1, arbitrary: badText });
}

const EXTRA_QUERY_NAMES = ['constructor', '__proto__', 'prototype', 'toString', 'unknown', 'limit', 'offset', 'cursor'];

function queryString(op: Operation, pools: IdPools): fc.Arbitrary<string> {
  const declared = op.queryParams.map((p) => p.name);
  const byName = new Map<string, Parameter>(op.queryParams.map((p) => [p.name, p]));
  const cursors = pools.cursors[op.path] ?? [];
  const valid = (name: string) => validFor(byName.get(name)?.schema, name, pools, undefined, cursors).map((v) => (v === undefined ? undefined : String(v)));
  const bad = (name: string) => badFor(byName.get(name)?.schema, name, cursors);
  const pair = (key: string, value: string) => `${encodeLoose(key)}=${encodeLoose(value)}`;
  // Some declared parameters with good values, so the one bad value is what the route meets.
  const goodPairs = declared.length
    ? fc
        .subarray(declared, { maxLength: Math.min(3, declared.length) })
        .chain((names) => fc.tuple(...names.map((n) => valid(n).map((v) => (v === undefined ? null : pair(n, v))))))
    : fc.constant([] as Array<string | null>);
  const namesForBad = declared.length
    ? fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...declared) }, { weight: 1, arbitrary: fc.constantFrom(...EXTRA_QUERY_NAMES) })
    : fc.constantFrom(...EXTRA_QUERY_NAMES);
  const badPair = namesForBad.chain((name) =>
    fc
      .tuple(fc.oneof({ weight: 8, arbitrary: fc.constant(name) }, { weight: 1, arbitrary: fc.constantFrom(`${name}[]`, `${name}[x]`) }), bad(name))
      .map(([key, v]) => pair(key, v)),
  );
  return fc
    .tuple(goodPairs, fc.oneof({ weight: 4, arbitrary: badPair.map((p) => [p]) }, { weight: 1, arbitrary: fc.array(badPair, { minLength: 2, maxLength: 3 }) }))
    .map(([good, bads]) => {
      const pairs = [...good.filter((p): p is string => p !== null), ...bads];
      return pairs.length ? `?${pairs.join('&')}` : '';
    });
}

function pathOf(op: Operation, pools: IdPools): fc.Arbitrary<string> {
  const segments = op.path.split('/');
  const parts = segments.map((segment, i) => {
    const param = /^\{(.+)\}$/.exec(segment)?.[1];
    if (!param) return fc.constant(segment);
    const collection = segments[i - 1] === 'Device' ? 'devices' : segments[i - 1];
    return fc.oneof({ weight: 3, arbitrary: idFor(pools, collection) }, { weight: 1, arbitrary: badText.filter((s) => s.length > 0).map(encodeLoose) });
  });
  return fc.tuple(...parts).map((p) => p.join('/'));
}

function bodyOf(op: Operation, pools: IdPools, examples: Record<string, () => unknown>): fc.Arbitrary<string | undefined> {
  if (!op.body) return fc.constant(undefined);
  const example = examples[op.path];
  const base: fc.Arbitrary<unknown> = example ? fc.constant(null).map(example) : validFor(op.body, '', pools);
  return fc
    .tuple(base, fc.oneof({ weight: 4, arbitrary: mutation.map((m) => [m]) }, { weight: 1, arbitrary: fc.array(mutation, { minLength: 2, maxLength: 3 }) }))
    .map(([value, mutations]) => JSON.stringify(mutations.reduce(mutate, structuredClone(value))) ?? 'null');
}

/**
 * Requests for one operation: its path with real or hostile ids, a query string of its own and
 * unknown parameters, and (when it takes one) a JSON body that is valid but for a few values.
 */
export function hostileRequests(op: Operation, pools: IdPools, roles: string[], examples: Record<string, () => unknown> = {}): fc.Arbitrary<HostileRequest> {
  return fc
    .record({ path: pathOf(op, pools), query: queryString(op, pools), body: bodyOf(op, pools, examples), role: fc.constantFrom(...roles) })
    .map(({ path, query, body, role }) => ({ method: op.method, url: `${path}${query}`, body, role }));
}
