/** An OpenAPI 3.0 schema object, as loosely as a walker needs it. */
export interface SchemaNode {
  $ref?: string;
  type?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  allOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  enum?: unknown[];
  required?: string[];
  nullable?: boolean;
  [key: string]: unknown;
}

interface MediaTypes {
  content?: Record<string, { schema?: SchemaNode }>;
}

export interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: Array<{ name: string; schema?: SchemaNode }>; requestBody?: MediaTypes; responses?: Record<string, MediaTypes & { $ref?: string }> }
    >
  >;
  components?: { schemas?: Record<string, SchemaNode>; responses?: Record<string, MediaTypes> };
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

/**
 * Every schema in the document that says nothing a client can type: no `type` (Swagger UI shows
 * `{}`; TypeScript's reflection gives `Object` for `string | null`, and @nestjs/swagger writes
 * that as an untyped object), an object without properties, or an array without items. Each is
 * named by its JSON pointer, so a failure says which DTO field to fix.
 */
export function untypedSchemas(doc: OpenApiDoc): string[] {
  const found: string[] = [];
  const visit = (schema: SchemaNode | undefined, at: string): void => {
    if (!schema || schema.$ref) return;
    const composed = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])];
    composed.forEach((s, i) => visit(s, `${at}/of/${i}`));
    if (composed.length) return;
    if (!schema.type && !schema.enum) found.push(`${at}: no type`);
    if (schema.type === 'object' && !schema.properties && !schema.additionalProperties) found.push(`${at}: object without properties`);
    if (schema.type === 'array' && !schema.items) found.push(`${at}: array without items`);
    for (const [name, property] of Object.entries(schema.properties ?? {})) visit(property, `${at}/properties/${name}`);
    if (typeof schema.additionalProperties === 'object') visit(schema.additionalProperties, `${at}/additionalProperties`);
    if (schema.items) visit(schema.items, `${at}/items`);
  };
  const visitContent = (media: MediaTypes | undefined, at: string) => {
    for (const [type, { schema }] of Object.entries(media?.content ?? {})) visit(schema, `${at}/content/${type}/schema`);
  };

  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) visit(schema, `#/components/schemas/${name}`);
  for (const [name, response] of Object.entries(doc.components?.responses ?? {})) visitContent(response, `#/components/responses/${name}`);
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (!HTTP_METHODS.has(method)) continue;
      const at = `${method.toUpperCase()} ${path}`;
      for (const parameter of operation.parameters ?? []) visit(parameter.schema, `${at} parameter ${parameter.name}`);
      visitContent(operation.requestBody, `${at} requestBody`);
      for (const [status, response] of Object.entries(operation.responses ?? {})) visitContent(response, `${at} ${status}`);
    }
  }
  return found;
}

/** A `$ref` (`#/components/...`) followed to what it names. */
export function resolveRef<T>(doc: OpenApiDoc, node: T & { $ref?: string }): T {
  if (!node.$ref) return node;
  const target = node.$ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], doc);
  if (!target) throw new Error(`${node.$ref} names nothing in the document`);
  return resolveRef(doc, target as T & { $ref?: string });
}

/**
 * Where an answer differs from the schema the document gives it: a key the schema does not
 * name, a required key missing, null where not nullable, or a value of another type or outside
 * its enum. Empty when the answer is what a generated client expects.
 */
export function shapeMismatches(doc: OpenApiDoc, node: SchemaNode, value: unknown, at = '$'): string[] {
  const schema = resolveRef(doc, node);
  if (value === null) return schema.nullable ? [] : [`${at}: null, but not nullable`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`];
  switch (schema.type) {
    case 'array':
      if (!Array.isArray(value)) return [`${at}: not an array`];
      return value.flatMap((item, i) => shapeMismatches(doc, schema.items!, item, `${at}[${i}]`));
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: not an object`];
      if (!schema.properties) return [];
      const record = value as Record<string, unknown>;
      const properties = schema.properties;
      return [
        ...Object.keys(record)
          .filter((key) => !(key in properties))
          .map((key) => `${at}.${key}: not in the schema`),
        ...(schema.required ?? []).filter((key) => !(key in record)).map((key) => `${at}.${key}: required, but missing`),
        ...Object.entries(record).flatMap(([key, v]) => (properties[key] ? shapeMismatches(doc, properties[key], v, `${at}.${key}`) : [])),
      ];
    }
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: ${JSON.stringify(value)} is not an integer`];
    case 'number':
    case 'string':
    case 'boolean':
      return typeof value === schema.type ? [] : [`${at}: ${JSON.stringify(value)} is not a ${schema.type}`];
    default:
      return [`${at}: the schema has no type`];
  }
}
