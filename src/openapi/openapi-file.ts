import { OpenAPIObject } from '@nestjs/swagger';

/** The committed OpenAPI document, relative to the repository root: clients are generated from it. */
export const OPENAPI_FILE = 'docs/openapi.json';

/** The one serialization of the document, so the generator, its check and reviewers' diffs agree. */
export function serializeOpenApi(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
