import { ApiExtension, OpenAPIObject } from '@nestjs/swagger';
import type { MediaTypeObject } from '@nestjs/swagger';

const REQUEST_CONTENT_EXTENSION = 'x-request-content';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The body of an operation that reads several formats, each with its own schema and examples
 * (the device import: CSV or a FHIR Bundle). @ApiBody gives every media type of @ApiConsumes the
 * same schema and examples; this replaces them in the document (applyRequestContent).
 */
export const ApiRequestContent = (content: Record<string, MediaTypeObject>) => ApiExtension(REQUEST_CONTENT_EXTENSION, content);

export function applyRequestContent(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      const extensions = operation as Record<string, unknown> | undefined;
      const content = extensions?.[REQUEST_CONTENT_EXTENSION] as Record<string, MediaTypeObject> | undefined;
      if (!operation || !extensions || !content) continue;
      operation.requestBody = { required: true, content };
      delete extensions[REQUEST_CONTENT_EXTENSION];
    }
  }
  return document;
}
