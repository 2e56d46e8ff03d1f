import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { BEARER_SCHEME, documentErrorResponses } from './document-errors';
import { ErrorResponseDto } from './error-response.dto';
import { applyRequestContent } from './request-content';

/** The service's OpenAPI document, read from its controllers and DTOs. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('IoMT device inventory & firmware tracking')
    .setDescription(
      "Inventory of a hospital's connected medical devices, their heartbeats over MQTT, manufacturers' security advisories (native and CSAF 2.0), and which devices are exposed. " +
        'Authenticate with `Authorization: Bearer <api key or session token>`. Every error answers `{statusCode, error, message}`.',
    )
    .setVersion('1')
    // Relative: the paths carry /api/v1, and the Swagger UI calls the host that serves it.
    .addServer('/', 'The service that serves this document')
    // Tokens are opaque random secrets looked up by hash, not JWTs: nothing in them can be decoded or verified offline.
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque: iomt_... API key or iomts_... session token',
        description: "API key (iomt_...) or a person's session token (iomts_..., from POST /api/v1/auth/login then /auth/mfa/verify)",
      },
      BEARER_SCHEME,
    )
    .build();
  return applyRequestContent(documentErrorResponses(SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponseDto] })));
}
