import { OpenAPIObject } from '@nestjs/swagger';
import type { OperationObject, ResponseObject } from '@nestjs/swagger';
import { ROLES } from '../access/role';
import { ROLES_EXTENSION } from '../access/roles.decorator';
import { ErrorResponseDto } from './error-response.dto';

/** The name of the bearer security scheme. */
export const BEARER_SCHEME = 'bearer';

const ERROR_SCHEMA = { $ref: `#/components/schemas/${ErrorResponseDto.name}` };
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The errors every route answers alike, documented on every route alike rather than on each
 * controller by hand, so a route added later is documented without anyone remembering to:
 * - a route that needs a token (its @Roles, which deny-by-default requires anyway) answers 401
 *   without a valid one and 403 to a role it does not allow; any other route is open (@Public);
 * - a route that reads a body or query parameters answers 400 naming the field it refuses
 *   (the global validation pipe refuses unknown fields too).
 * A route that already documents one of these keeps its own.
 */
export function documentErrorResponses(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const roles = (operation as unknown as Record<string, unknown>)[ROLES_EXTENSION] as string[] | undefined;
      if (roles?.length) documentAuth(operation, method, roles);
      // Open: the login steps and health. (A route with neither @Public nor @Roles is refused to
      // everyone; test/openapi-document.e2e-spec.ts finds it by its 401.)
      else operation.security = [];
      const readsInput = !!operation.requestBody || (operation.parameters ?? []).some((p) => 'in' in p && p.in === 'query');
      if (readsInput) {
        operation.responses['400'] ??= errorResponse('Refused input: the message names the field and what it expects', {
          statusCode: 400,
          error: 'Bad Request',
          message: 'serialNumber: must be a string',
        });
      }
    }
  }
  return document;
}

function documentAuth(operation: OperationObject, method: string, roles: string[]): void {
  operation.security = [{ [BEARER_SCHEME]: [] }];
  operation.responses['401'] ??= errorResponse("No valid bearer token: missing, unknown, revoked or expired (an API key, or a person's session token)", {
    statusCode: 401,
    error: 'Unauthorized',
    message: 'A valid bearer API key or session token is required (Authorization: Bearer <token>)',
  });
  // Open to every role (who am I, log out): the role check refuses no one there.
  const refused = ROLES.find((role) => !roles.includes(role));
  if (!refused) return;
  operation.responses['403'] ??= errorResponse(`The caller's role may not do this; allowed: ${roles.join(', ')}`, {
    statusCode: 403,
    error: 'Forbidden',
    message: `Role ${refused} may not ${method.toUpperCase()} this resource`,
  });
}

function errorResponse(description: string, example: { statusCode: number; error: string; message: string }): ResponseObject {
  return { description, content: { 'application/json': { schema: ERROR_SCHEMA, example } } };
}
