/** The slice of an OpenAPI 3 schema the request generators read. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  maximum?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
}

export interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  schema?: Schema;
}

export interface Operation {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI path template, e.g. `/api/v1/devices/{id}`. */
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  /** The JSON body schema (refs resolved), or null when the route takes no JSON body. */
  body: Schema | null;
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Parameter[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
        responses?: Record<string, { content?: Record<string, unknown> }>;
      }
    >
  >;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = new Set(['get', 'post', 'patch', 'put', 'delete']);

/**
 * Every operation the service documents at /docs-json. Swagger is built from the Nest router, so a
 * new controller route appears here (and in anything that walks this list) without being named.
 */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const resolve = (schema: Schema | undefined, seen = new Set<string>()): Schema | undefined => {
    if (!schema) return undefined;
    if (schema.$ref) {
      const name = schema.$ref.split('/').pop()!;
      if (seen.has(name)) return { type: 'object' };
      return resolve(doc.components?.schemas?.[name], new Set([...seen, name]));
    }
    const out: Schema = { ...schema };
    if (schema.items) out.items = resolve(schema.items, seen);
    if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, seen) ?? {}]));
    return out;
  };
  const operations: Operation[] = [];
  for (const [path, byMethod] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      if (!METHODS.has(method)) continue;
      // A server-sent events stream never ends: no request-and-answer walk can read it (its own e2e tests it).
      if (Object.keys(op.responses?.['200']?.content ?? {}).includes('text/event-stream')) continue;
      const parameters = op.parameters ?? [];
      const json = Object.entries(op.requestBody?.content ?? {}).find(([type]) => /json/.test(type));
      operations.push({
        method: method as Operation['method'],
        path,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => ({ ...p, schema: resolve(p.schema) })),
        body: json ? (resolve(json[1].schema) ?? { type: 'object' }) : null,
      });
    }
  }
  return operations;
}
